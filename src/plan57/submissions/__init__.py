"""Submissions: the contract's number grammar, reading files, the rules of `check`, `fix` and `import`, what each reporter owes and what came."""
