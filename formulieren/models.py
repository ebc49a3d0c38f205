# Form definitions and filled forms arrive with the formulieren issue.
