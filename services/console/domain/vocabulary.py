"""The words the console shows for the APIs' codes, as gettext message ids (English; the zh_CN catalog
translates them). N_ marks a string for extraction without translating it here: templates translate it."""


def N_(message: str) -> str:  # noqa: N802 - gettext's name for a marker
    return message


PROGRAMMES = {
    "skill_upgrade": N_("Skill upgrade subsidy"),
    "trainee": N_("Traineeship subsidy"),
    "startup": N_("One-time start-up subsidy"),
    "hiring": N_("One-time hiring subsidy"),
    "job_expansion": N_("One-time job expansion subsidy"),
    "hiring_long_term_unemployed": N_("Hiring the long-term unemployed"),
    "skill_appraisal": N_("Skill appraisal subsidy"),
    "job_seeking_subsidy": N_("Job-seeking subsidy"),
    "labour_transfer_award": N_("Organised labour transfer award"),
    "graduate_hiring": N_("Graduate hiring subsidy"),
    "hiring_hard_to_employ": N_("Hiring the hard-to-employ"),
    "apprenticeship": N_("Apprenticeship subsidy"),
    "startup_social_insurance": N_("Start-up social insurance subsidy"),
    "employment_workshop_award": N_("Employment workshop award"),
    "transport_subsidy": N_("Transport subsidy"),
    "grassroots_post_subsidy": N_("Grassroots post subsidy"),
    "labour_export_award": N_("Labour export award"),
    "temporary_living_allowance": N_("Temporary living allowance"),
    "job_retention_refund": N_("Job retention refund"),
    "job_retention_refund_epidemic": N_("Job retention refund (epidemic)"),
    "epidemic_supply_hiring": N_("Hiring by epidemic supply producers"),
    "hiring_social_insurance_subsidy": N_("Hiring social insurance subsidy"),
    "flexible_employment_social_insurance": N_("Flexible employment social insurance subsidy"),
}

FUNDS = {
    "employment_subsidy": N_("Employment subsidy fund"),
    "unemployment_insurance": N_("Unemployment insurance fund"),
    "rural_revitalization": N_("Rural revitalisation fund"),
    "east_west_cooperation": N_("East-west cooperation fund"),
}

JURISDICTIONS = {"qingyang": N_("Qingyang"), "yongchuan": N_("Yongchuan"), "chongqing": N_("Chongqing"),
                 "pingdingshan": N_("Pingdingshan")}

ROLES = {"applicant": N_("Applicant"), "officer": N_("Finance officer"), "auditor": N_("Auditor"),
         "admin": N_("Administrator")}

CLAIM_STATUSES = {
    "submitted": N_("Submitted"), "eligible": N_("Eligible"), "rejected": N_("Rejected"),
    "in_batch": N_("In a payment batch"), "payment_issued": N_("Payment issued"), "paid": N_("Paid"),
    "payment_failed": N_("Payment failed"), "withdrawn": N_("Withdrawn"),
}

BATCH_STATUSES = {"draft": N_("Draft"), "awaiting_second_approval": N_("Awaiting a second approval"),
                  "approved": N_("Approved"), "rejected": N_("Rejected")}

BATCH_ACTIONS = {"drafted": N_("Drafted"), "item_removed": N_("Item removed"),
                 "approval_recorded": N_("First approval recorded"), "approved": N_("Approved"),
                 "rejected": N_("Rejected"), "approval_refused": N_("Approval refused")}

PAYMENT_STATUSES = {"issued": N_("Issued"), "settled": N_("Settled"), "failed": N_("Failed")}

REASONS = {
    "NOT_ELIGIBLE_CATEGORY": N_("Not in a group the programme covers"),
    "AGE_OUT_OF_RANGE": N_("Age outside the programme's range"),
    "INSURANCE_REQUIREMENT": N_("Insurance contributions short of what the clause requires"),
    "LEVEL_NOT_COVERED": N_("Certificate level not paid by the programme"),
    "OUTSIDE_POLICY_PERIOD": N_("Outside the period in which the policy applies"),
    "POLICY_NOT_IN_FORCE": N_("The policy is not in force"),
    "PROGRAMME_NOT_OFFERED": N_("The programme is not offered here"),
    "PARAMETER_NOT_SET": N_("An amount the operator must set is not set yet"),
    "CAP_PER_YEAR": N_("The yearly cap has been reached"),
    "ALREADY_GRANTED": N_("Already granted before"),
    "EXCLUSIVE_PROGRAMME": N_("A programme this one excludes was already granted"),
    "CONTRACT_TOO_SHORT": N_("Labour contract shorter than required"),
    "MONTHS_EXCEED_PERIOD": N_("More months claimed than the dates show"),
}

BANK_OUTCOMES = {
    "applied_settled": N_("Settled: applied"), "applied_failed": N_("Failed: applied"),
    "unknown_reference": N_("Unknown reference"), "duplicate_in_file": N_("Repeated in the file"),
    "already_recorded": N_("Already recorded"), "amount_mismatch": N_("Amount differs"),
    "currency_mismatch": N_("Currency differs"), "conflicting": N_("Conflicting lines"), "invalid": N_("Invalid line"),
}

FINDING_RULES = {
    "duplicate_qualifying_key": N_("Paid twice for the same thing"),
    "exclusive_pair_both_paid": N_("Both of two exclusive programmes paid"),
    "per_person_cap_exceeded": N_("Per-person cap exceeded"),
    "amount_not_standard": N_("Amount differs from the standard"),
    "fund_not_for_programme": N_("Paid from a fund not meant for the programme"),
    "programme_not_in_catalog": N_("Programme not in the catalog"),
    "qualifying_date_outside_period": N_("Qualifying date outside the policy period"),
    "maker_is_checker": N_("Maker approved their own batch"),
    "checker_not_officer": N_("Approved by someone who is not an officer"),
    "payee_shared_by_beneficiaries": N_("One account receives for several beneficiaries"),
    "fund_budget_exceeded": N_("Fund budget exceeded"),
    "fund_budget_not_set": N_("Paid without a fund budget"),
    "batches_just_under_threshold": N_("Batches just under the dual-approval threshold"),
    "batch_control_totals_mismatch": N_("Batch control totals do not match"),
    "event_payload_conflict": N_("Conflicting event payloads"),
    "unpostable_event": N_("Event that could not be posted"),
    "payee_name_not_claimant": N_("Payee name is not the claimant's"),
    "payee_changed_repeatedly": N_("Payee changed repeatedly"),
    "account_receives_for_many": N_("One account receives for many beneficiaries"),
}

SEVERITIES = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}

BREAK_KINDS = {
    "missing_issued_event": N_("Approved, never issued"), "duplicate_issued_event": N_("Issued twice"),
    "issued_not_approved": N_("Issued without approval"), "missing_batch_approval": N_("Batch approval missing"),
    "not_posted": N_("Not posted to the ledger"), "amount_mismatch": N_("Amounts differ"),
    "wrong_fund": N_("Wrong fund"), "duplicate_settlement": N_("Settled twice"),
    "settlement_failed": N_("Settlement failed"), "settled_and_failed": N_("Both settled and failed"),
    "unsettled": N_("No bank outcome yet"), "settled_not_issued": N_("Settled, never issued"),
    "control_totals_mismatch": N_("Control totals differ"),
    "approved_not_received": N_("Approved upstream, never received"),
    "statement_entry_unmatched": N_("Statement debit matching no payment"),
    "payment_not_on_statement": N_("Payment missing from the bank statement"),
}
STATEMENT_BREAK_KINDS = ("statement_entry_unmatched", "payment_not_on_statement")

# Why a statement's booked debit matched no payment: disbursement's reasons (domain.bank_statements.matching),
# word for word, so each can be translated; a reason the console does not know yet is shown as the API gave it.
STATEMENT_REASONS = {
    "no payment of this account has this EndToEndId": N_("No payment of this account has this EndToEndId"),
    "the payment is booked by an earlier entry too": N_("The payment is booked by an earlier entry too"),
    "the amount booked differs from the payment's": N_("The amount booked differs from the payment's"),
    "the bank returned this payment as failed, yet the statement books it":
        N_("The bank returned this payment as failed, yet the statement books it"),
    "the entry names neither a payment (EndToEndId) nor one of our batches (MsgId)":
        N_("The entry names neither a payment (EndToEndId) nor one of our batches (MsgId)"),
    "the amount booked differs from the batch's total": N_("The amount booked differs from the batch's total"),
}
ACCOUNT_KINDS = {"expense": N_("Expense"), "payable": N_("Payable"), "bank": N_("Bank")}

# Refusals of an approval, by the problem type's slug: what the officer reads, and the figures shown beside it.
REFUSALS = {
    "maker-cannot-approve": N_("You drafted this batch: another officer must approve it."),
    "checker-already-approved": N_("You already approved this batch: a second, different officer must approve it."),
    "daily-limit-exceeded": N_("This approval would take you past your daily approval limit."),
    "budget-exceeded": N_("Approving this batch would take the fund past its budget for the year."),
    "budget-not-set": N_("The fund has no budget for the year: an administrator must set one first."),
    "batch-state": N_("The batch is not in a state that allows this."),
}
FIGURES = {"daily_limit": N_("Your daily limit"), "approved_today": N_("You approved today"),
           "batch_total": N_("Batch total"), "budget": N_("Budget"), "issued": N_("Issued so far"),
           "remaining": N_("Remaining"), "fund": N_("Fund"), "year": N_("Year")}


def label(table: dict[str, str], code: str | None) -> str:
    """The message id for a code, or the code itself when the APIs grew one the console does not know yet."""
    if code is None:
        return ""
    return table.get(code, code)


JOB_TITLES = {"draft_batch": N_("Drafting the batch"), "bank_return": N_("Applying the bank return"),
              "ledger_export": N_("Exporting the ledger"), "access_log_export": N_("Exporting the access log")}
JOB_STAGES = {"queued": N_("Waiting to start"), "running": N_("Starting"), "counting": N_("Counting the claims"),
              "drafting": N_("Drafting the batch"), "uploading": N_("Sending the file's lines"),
              "exporting": N_("Writing the entries"), "writing_records": N_("Writing the records"),
              "done": N_("Done")}

# The auditor's work on findings (issue 14): what a finding's status is called, and the moves the page offers.
FINDING_STATUSES = {"open": N_("Open"), "acknowledged": N_("Acknowledged"), "resolved": N_("Resolved"),
                    "false_positive": N_("Dismissed (false positive)")}
FINDING_MOVES = {"acknowledged": N_("Acknowledge"), "resolved": N_("Resolve"), "false_positive": N_("Dismiss"),
                 "open": N_("Reopen")}

ACCESS_ACTIONS = {"claim.read": N_("Read a claim's personal data"), "claims.search": N_("Searched claims"),
                  "batch.review": N_("Reviewed a batch"), "payment_file.download": N_("Downloaded a payment file"),
                  "refused": N_("Refused")}
ACCESS_OUTCOMES = {"allowed": N_("Allowed"), "refused": N_("Refused")}
ACCESS_ROLES = {**ROLES, "service": N_("Service")}

PROOF_STATUSES = {"verified": N_("Verified here against the signed checkpoint"),
                  "not_covered": N_("No signed checkpoint covers it yet"), "failed": N_("Does not verify")}


# The officer's review and controls of issue 14 (batch review flags, claim review, re-evaluation runs).
ITEM_FLAGS = {"payee_name_differs": N_("Account name is not the claimant's"),
              "payee_changed_after_failure": N_("Account changed after a failed payment")}
REVIEW_STATES = {"requested": N_("Review asked for"), "answered": N_("Review answered")}
REEVALUATION_STATUSES = {"running": N_("Running"), "done": N_("Done"), "failed": N_("Failed")}
