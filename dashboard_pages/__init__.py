"""The dashboard's pages (run by dashboard.py) and their shared building blocks:
`ui` (loading outputs, controls, tables, charts) and `admin` (who may update data)."""
