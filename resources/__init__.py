"""Data files the app ships: templates, the demo company's source data, icons, fonts."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent
