"""Finance officers' work (contract §4): batches under maker-checker, fund budgets, payments, bank files."""
