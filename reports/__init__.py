"""PDF reports (reportlab) and signing (pyHanko). No Qt: the screens and the PDFs share
colours (`reports.palette`) and chart data, never widgets."""
