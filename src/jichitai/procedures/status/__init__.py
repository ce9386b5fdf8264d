"""The applicant's status page: where an application stands, its history, withdrawal, and the
correction of a returned (差戻し) application page by page."""
