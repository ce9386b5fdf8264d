"""Documents issued to the applicant on a decision (通知書・許可証・受理証明書): the procedure's
template, the organization's 公印 and the PDFs kept with each application."""
