"""Bank statements (camt.053, camt.054) read and matched against our payments (pure): see camt_form, matching."""
