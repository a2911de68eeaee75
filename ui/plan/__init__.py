"""The Plan screen: the reverse funnel, scenarios and the forward check."""
