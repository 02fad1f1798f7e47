"""The words of the claim forms: one label per field of contract §3's claim body and its facts (the leaf name
of each path), and of each choice, as gettext message ids."""

from services.console.domain.vocabulary import N_

FIELDS = {
    "jurisdiction": N_("Jurisdiction"), "name": N_("Name"), "id_number": N_("Resident identity number"),
    "uscc": N_("Unified social credit code"), "account_number": N_("Account number"),
    "account_name": N_("Account holder"), "bank": N_("Bank"),
    "certificate_number": N_("Certificate number"), "occupation_code": N_("Occupation code"),
    "level": N_("Certificate level"), "certificate_issued_on": N_("Certificate issued on"),
    "ui_contribution_months": N_("Months of unemployment insurance paid"),
    "receiving_ui_benefit": N_("Receiving unemployment benefit"), "graduated_on": N_("Graduated on"),
    "trainee": N_("Trainee"), "trainee_category": N_("Trainee category"), "start_date": N_("Start date"),
    "agreed_months": N_("Agreed months"), "served_months": N_("Months served"),
    "contract_signed_on": N_("Labour contract signed on"), "retention": N_("Retention"),
    "completed": N_("Trainees who completed"), "retained": N_("Of them kept on"),
    "founder_category": N_("Founder category"), "business_uscc": N_("Business credit code"),
    "business_registered_on": N_("Business registered on"), "first_business": N_("First business"),
    "employee": N_("Employee"), "employee_category": N_("Employee category"),
    "contract_start": N_("Contract start"), "contract_months": N_("Contract months"),
    "insurance_paid_months": N_("Months of social insurance paid"), "enterprise_size": N_("Enterprise size"),
    "unemployed_registered_on": N_("Registered unemployed on"), "certificate_kind": N_("Certificate kind"),
    "first_appraisal": N_("First appraisal"), "subsidised_training": N_("Took subsidised training"),
    "appraisal_fee_paid": N_("Appraisal fee paid (yuan)"), "hardship_category": N_("Hardship category"),
    "graduating_on": N_("Graduating on"), "applied_on": N_("Applied on"), "worker": N_("Worker"),
    "poverty_alleviated": N_("Lifted out of poverty"), "employer_uscc": N_("Employer credit code"),
    "contract_months_performed": N_("Contract months performed"), "employed_months": N_("Months employed"),
    "hard_to_employ_registered": N_("Registered as hard to employ"), "apprentice": N_("Apprentice"),
    "training_start": N_("Training start"), "training_months": N_("Training months"),
    "contribution_period_end": N_("Contribution period end"), "contribution_months": N_("Contribution months"),
    "employer_contributions_paid": N_("Employer contributions paid (yuan)"),
    "local_household": N_("Local household"), "employed_from": N_("Employed from"),
    "assessed_on": N_("Assessed on"), "destination": N_("Destination"), "departed_on": N_("Departed on"),
    "post_kind": N_("Post kind"), "post_start": N_("Post start"), "period_end": N_("Period end"),
    "months_claimed": N_("Months claimed"), "migrant_worker": N_("Migrant worker"),
    "cross_province": N_("Across provinces"), "laid_off_unemployed": N_("Laid off or unemployed"),
    "hardship_confirmed": N_("Hardship confirmed"), "size_class": N_("Size class"),
    "insured_staff_last_year": N_("Insured staff last year (monthly average)"),
    "layoffs_last_year": N_("Layoffs last year"),
    "ui_premiums_paid_last_year": N_("Unemployment insurance premiums paid last year (yuan)"),
    "epidemic_hit": N_("Hard hit by the epidemic"),
    "contributions_due_3_months": N_("Three months of contributions due (yuan)"),
    "epidemic_supply_producer": N_("Produced or delivered epidemic supplies"),
    "flexible_employment_from": N_("Flexible employment from"), "contributions_paid": N_("Contributions paid (yuan)"),
}

CHOICES = {
    "graduate": N_("Graduate"), "unemployed_youth": N_("Unemployed youth"),
    "hard_to_employ": N_("Hard to employ"), "veteran": N_("Veteran"),
    "returning_migrant_worker": N_("Returning migrant worker"), "long_term_unemployed": N_("Long-term unemployed"),
    "micro": N_("Micro"), "small": N_("Small"), "medium": N_("Medium"), "large": N_("Large"),
    "sme": N_("Small or medium enterprise"), "other_unit": N_("Other insured unit"),
    "vocational_qualification": N_("Vocational qualification"), "skill_level": N_("Skill level certificate"),
    "training_certificate": N_("Training certificate"), "special_competence": N_("Special competence certificate"),
    "low_income_family": N_("Low-income family"), "zero_employment_family": N_("Zero-employment family"),
    "poverty_alleviated_family": N_("Family lifted out of poverty"), "extreme_hardship": N_("Extreme hardship"),
    "disabled": N_("Disabled"), "student_loan": N_("Student loan"), "none": N_("None of these"),
    "cross_province": N_("Another province"), "in_province": N_("Within the province"),
    "grassroots_public_management": N_("Grassroots public management"),
    "grassroots_social_service": N_("Grassroots social service"), "other": N_("Other"),
    "true": N_("Yes"), "false": N_("No"),
}

LEVELS = {"5": N_("Level 5 (junior)"), "4": N_("Level 4 (intermediate)"), "3": N_("Level 3 (senior)"),
          "2": N_("Level 2 (technician)"), "1": N_("Level 1 (senior technician)")}

SECTIONS = {"claimant": N_("Claimant"), "payee_account": N_("Payee account"), "facts": N_("Facts of the claim")}
