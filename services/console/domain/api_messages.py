"""Messages the services put in their problem details that applicants meet most, as message ids, so the
catalog translates them beside the field they concern; any other message is shown as the service wrote it."""

from services.console.domain.vocabulary import N_

COMMON = (
    N_("Field required"),
    N_("resident id must be 17 digits followed by a digit or X"),
    N_("resident id checksum (GB 11643) does not match"),
    N_("resident id carries an impossible birth date"),
    N_("USCC must be 18 characters from the GB 32100 character set"),
    N_("USCC checksum (GB 32100) does not match"),
    N_("must be a date written YYYY-MM-DD"),
    N_("is not a real calendar date"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be greater than or equal to 0"),
    N_('must be an amount in yuan written as a string, e.g. "1500.00"'),
    N_("String should have at least 1 character"),
    N_("String should match pattern '^[0-9][0-9 \\-]{7,38}[0-9]$'"),
    N_("graduated_on is required for a graduate"),
    N_("served_months cannot exceed agreed_months"),
    N_("retained cannot exceed completed"),
)
