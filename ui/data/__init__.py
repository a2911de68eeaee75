"""The Data area: lead imports, quarterly actuals, closed-loop numbers and sources."""
