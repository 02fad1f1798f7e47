from shared.logging import scrub


def test_resident_ids_and_account_numbers_are_redacted():
    line = scrub("claimant 11010519491231002X paid to 6222020200012345678 via 6217000000000000123")
    assert "11010519491231002X" not in line and "6222020200012345678" not in line
    assert line.count("[redacted]") == 3


def test_the_last_group_of_a_uuid_is_an_identifier_not_an_account_and_stays_readable():
    assert scrub("event d9212888-0da4-4838-acb5-123456789012") == "event d9212888-0da4-4838-acb5-123456789012"
