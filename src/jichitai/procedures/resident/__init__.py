"""The resident's side beyond one form: the prefecture-wide procedure finder, the status lookup by
受付番号, and the printable 受付票."""
