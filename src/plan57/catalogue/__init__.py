"""The indicator catalogue: its models, loading and smells, its revisions in git, and what is derived from it (a new data repository, CODEOWNERS, the provinces)."""
