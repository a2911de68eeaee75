"""The Alignment Workbench core: the workbook file and the domain, with no Qt.

`Workbook` (in `workbench.workbook`) is the one door to a workbook file. Import it from
there; this package stays light so that the command line starts fast.
"""

__version__ = "0.1.0"
