"""Planning: the reverse funnel from the revenue goal, scenarios, derivation from actuals,
the forward check of the pipeline, and the plan-vs-actual dashboard data.

`workbench.plan` holds the `Planning` area (quarters and plan mutations) and re-exports the
public functions of this package.
"""
