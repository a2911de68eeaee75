"""Exporting from the app: File → Export… (a PDF report with a preview, built off the GUI
thread) and helpers every screen can use to save a chart as PNG or a table as CSV."""
