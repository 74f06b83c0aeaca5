"""Who may use the API: users, bearer tokens and the audit log of detail reads."""
