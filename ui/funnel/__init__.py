"""The funnel editor: the stage definitions both teams share, drawn as a funnel and edited
in place, with both teams' proposals, the CRM names and the definitions checker."""
