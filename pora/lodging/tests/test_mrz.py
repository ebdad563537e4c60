"""The MRZ parser held to the ICAO Doc 9303 specimens, one table per concern.

The specimen lines below are copied from Doc 9303 (TD3: part 4, TD1: part 5, TD2: part 6);
``test_specimen_check_digits_as_printed`` recomputes every printed check digit so that a
typo in the data, or a wrong composite definition in the parser, shows up on its own.
Lines built for other cases get their check digits from :func:`check_digit`, which is
itself pinned to the specimen values first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from pora.lodging.mrz import MRZ, MRZError, check_digit, parse_mrz

D = dt.date
TODAY = D(2025, 6, 1)

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
SPECIMENS = {"TD3": TD3, "TD2": TD2, "TD1": TD1}


def parse(lines, today: dt.date = TODAY) -> MRZ:
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return parse_mrz(text, today=today)


def replace(lines: tuple[str, ...], row: int, column: int, char: str) -> tuple[str, ...]:
    """``lines`` with the character at (0-based) ``row``, ``column`` replaced."""
    line = lines[row]
    changed = line[:column] + char + line[column + 1 :]
    return lines[:row] + (changed,) + lines[row + 1 :]


def bump(char: str) -> str:
    """A different digit, so that a check digit becomes wrong."""
    return str((int(char) + 1) % 10)


def pad(value: str, width: int) -> str:
    return value + "<" * (width - len(value))


def td3(
    name: str = "ERIKSSON<<ANNA<MARIA",
    *,
    code: str = "P<",
    state: str = "UTO",
    number: str = "L898902C3",
    nationality: str = "UTO",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    personal: str = "",
    personal_check: str | None = None,
) -> tuple[str, str]:
    """A TD3 MRZ with every check digit computed."""
    personal = pad(personal, 14)
    if personal_check is None:
        personal_check = check_digit(personal)
    number = pad(number, 9)
    body = (
        number
        + check_digit(number)
        + nationality
        + birth
        + check_digit(birth)
        + sex
        + expiry
        + check_digit(expiry)
        + personal
        + personal_check
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return pad(code + state + name, 44), body + check_digit(composite)


def td1(line1_tail: str, *, birth: str = "740812", expiry: str = "120415") -> tuple[str, ...]:
    """A TD1 MRZ whose line 1 from position 6 on is ``line1_tail``, composite computed."""
    one = pad("I<UTO" + line1_tail, 30)
    two = birth + check_digit(birth) + "F" + expiry + check_digit(expiry) + "UTO" + "<" * 11
    composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
    return one, two + check_digit(composite), pad("ERIKSSON<<ANNA<MARIA", 30)


def td2(number_field: str, optional: str) -> tuple[str, str]:
    """A TD2 MRZ with a raw document number field (9 chars + check) and optional data."""
    two = number_field + "UTO7408122F1204159" + pad(optional, 7)
    composite = two[0:10] + two[13:20] + two[21:35]
    return TD2[0], two + check_digit(composite)


# --------------------------------------------------------------------------- check digits


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("L898902C3", "6", id="td3-document-number"),
        pytest.param("740812", "2", id="birth-date"),
        pytest.param("120415", "9", id="expiry-date"),
        pytest.param("ZE184226B<<<<<", "1", id="td3-personal-number"),
        pytest.param("D23145890", "7", id="td1-document-number"),
        pytest.param("<<<<<<<<<<<<<<", "0", id="all-fillers"),
        pytest.param("", "0", id="empty"),
        pytest.param("A", "0", id="letter-A-is-10"),
        pytest.param("Z", "5", id="letter-Z-is-35"),
        pytest.param("L898902C3674081221204159ZE184226B<<<<<1", "0", id="td3-composite"),
        pytest.param(
            "D231458907" + "<" * 15 + "7408122" + "1204159" + "<" * 11, "6", id="td1-composite"
        ),
        pytest.param("D23145890774081221204159<<<<<<<", "6", id="td2-composite"),
    ],
)
def test_check_digit(value, expected):
    assert check_digit(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("AB?", id="question-mark"),
        pytest.param("abc", id="lowercase"),
        pytest.param("12 3", id="space"),
    ],
)
def test_check_digit_rejects_characters_outside_the_mrz_alphabet(value):
    with pytest.raises(MRZError) as caught:
        check_digit(value)
    assert caught.value.field == "characters"


@pytest.mark.parametrize(
    ("lines", "check_at", "covers"),
    [
        pytest.param(TD3, (1, 9), (1, slice(0, 9)), id="td3-document-number"),
        pytest.param(TD3, (1, 19), (1, slice(13, 19)), id="td3-birth"),
        pytest.param(TD3, (1, 27), (1, slice(21, 27)), id="td3-expiry"),
        pytest.param(TD3, (1, 42), (1, slice(28, 42)), id="td3-personal-number"),
        pytest.param(TD2, (1, 9), (1, slice(0, 9)), id="td2-document-number"),
        pytest.param(TD2, (1, 19), (1, slice(13, 19)), id="td2-birth"),
        pytest.param(TD2, (1, 27), (1, slice(21, 27)), id="td2-expiry"),
        pytest.param(TD1, (0, 14), (0, slice(5, 14)), id="td1-document-number"),
        pytest.param(TD1, (1, 6), (1, slice(0, 6)), id="td1-birth"),
        pytest.param(TD1, (1, 14), (1, slice(8, 14)), id="td1-expiry"),
    ],
)
def test_specimen_check_digits_as_printed(lines, check_at, covers):
    row, column = check_at
    covered_row, covered = covers
    assert check_digit(lines[covered_row][covered]) == lines[row][column]


@pytest.mark.parametrize(
    ("lines", "composite_value"),
    [
        # TD3 (part 4): line 2 positions 1–10, 14–20 and 22–43.
        pytest.param(TD3, TD3[1][0:10] + TD3[1][13:20] + TD3[1][21:43], id="td3"),
        # TD2 (part 6): line 2 positions 1–10, 14–20 and 22–35.
        pytest.param(TD2, TD2[1][0:10] + TD2[1][13:20] + TD2[1][21:35], id="td2"),
        # TD1 (part 5): line 1 positions 6–30, line 2 positions 1–7, 9–15 and 19–29.
        pytest.param(TD1, TD1[0][5:30] + TD1[1][0:7] + TD1[1][8:15] + TD1[1][18:29], id="td1"),
    ],
)
def test_specimen_composite_check_digit_as_printed(lines, composite_value):
    assert check_digit(composite_value) == lines[-2 if len(lines) == 3 else -1][-1]


# --------------------------------------------------------------------------- specimens

ANNA = {
    "document_code": None,
    "issuing_state": "UTO",
    "surname": "ERIKSSON",
    "given_names": "ANNA MARIA",
    "nationality": "UTO",
    "birth_date": D(1974, 8, 12),
    "birth_date_raw": "740812",
    "expiry_date": D(2012, 4, 15),
    "expiry_date_raw": "120415",
    "sex": "F",
    "optional_data_2": "",
}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            TD3,
            ANNA
            | {
                "format": "TD3",
                "document_code": "P",
                "document_number": "L898902C3",
                "optional_data": "ZE184226B",
            },
            id="td3-passport",
        ),
        pytest.param(
            TD2,
            ANNA
            | {
                "format": "TD2",
                "document_code": "I",
                "document_number": "D23145890",
                "optional_data": "",
            },
            id="td2",
        ),
        pytest.param(
            TD1,
            ANNA
            | {
                "format": "TD1",
                "document_code": "I",
                "document_number": "D23145890",
                "optional_data": "",
            },
            id="td1-identity-card",
        ),
    ],
)
def test_specimen_parses(lines, expected):
    mrz = parse(lines)
    assert {key: getattr(mrz, key) for key in expected} == expected
    assert mrz.raw_lines == lines


def test_result_is_frozen():
    mrz = parse(TD3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        mrz.surname = "SOMEONE"  # type: ignore[misc]


# --------------------------------------------------------------------------- input shapes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("\n".join(TD3).lower(), TD3, id="td3-lowercase"),
        pytest.param("  \n\t" + TD3[0] + "  \n   " + TD3[1] + " \n\n", TD3, id="td3-whitespace"),
        pytest.param("\r\n".join(TD3) + "\r\n", TD3, id="td3-crlf"),
        pytest.param("\r".join(TD3), TD3, id="td3-cr"),
        pytest.param(TD3[0] + "\n\n\n" + TD3[1], TD3, id="td3-blank-lines-between"),
        pytest.param("".join(TD3), TD3, id="td3-concatenated-88"),
        pytest.param("".join(TD3).lower() + "\r\n", TD3, id="td3-concatenated-lowercase-enter"),
        pytest.param(TD3[0] + " " + TD3[1], TD3, id="td3-concatenated-with-space"),
        pytest.param(
            TD3[0][:5] + " " + TD3[0][5:] + "\n" + TD3[1], TD3, id="td3-space-inside-line"
        ),
        pytest.param("".join(TD2), TD2, id="td2-concatenated-72"),
        pytest.param("\r\n".join(TD2).lower(), TD2, id="td2-crlf-lowercase"),
        pytest.param("".join(TD1), TD1, id="td1-concatenated-90"),
        pytest.param("\r\n".join(TD1) + "\r\n", TD1, id="td1-crlf"),
        pytest.param(
            " " + "\n ".join(line.lower() for line in TD1) + " ", TD1, id="td1-lowercase-indented"
        ),
    ],
)
def test_input_is_normalised(text, expected):
    mrz = parse_mrz(text, today=TODAY)
    assert mrz.raw_lines == expected
    assert mrz == parse(expected)


# --------------------------------------------------------------------------- check failures


@pytest.mark.parametrize(
    ("lines", "row", "column", "field"),
    [
        pytest.param(TD3, 1, 9, "document_number", id="td3-document-number-check"),
        pytest.param(TD3, 1, 19, "birth_date", id="td3-birth-check"),
        pytest.param(TD3, 1, 27, "expiry_date", id="td3-expiry-check"),
        pytest.param(TD3, 1, 42, "optional_data", id="td3-personal-number-check"),
        pytest.param(TD3, 1, 43, "composite", id="td3-composite-check"),
        pytest.param(TD2, 1, 9, "document_number", id="td2-document-number-check"),
        pytest.param(TD2, 1, 19, "birth_date", id="td2-birth-check"),
        pytest.param(TD2, 1, 27, "expiry_date", id="td2-expiry-check"),
        pytest.param(TD2, 1, 35, "composite", id="td2-composite-check"),
        pytest.param(TD1, 0, 14, "document_number", id="td1-document-number-check"),
        pytest.param(TD1, 1, 6, "birth_date", id="td1-birth-check"),
        pytest.param(TD1, 1, 14, "expiry_date", id="td1-expiry-check"),
        pytest.param(TD1, 1, 29, "composite", id="td1-composite-check"),
    ],
)
def test_each_corrupted_check_digit_is_named(lines, row, column, field):
    corrupted = replace(lines, row, column, bump(lines[row][column]))
    with pytest.raises(MRZError) as caught:
        parse(corrupted)
    assert caught.value.field == field
    assert caught.value.message_id.startswith("Digit pemeriksa")
    assert caught.value.message_en


@pytest.mark.parametrize(
    ("lines", "row", "column", "char", "field"),
    [
        pytest.param(TD3, 1, 3, "0", "document_number", id="td3-misread-document-number"),
        pytest.param(TD3, 1, 15, "1", "birth_date", id="td3-misread-birth"),
        pytest.param(TD3, 1, 23, "5", "expiry_date", id="td3-misread-expiry"),
        pytest.param(TD3, 1, 30, "F", "optional_data", id="td3-misread-personal-number"),
        # Nationality and sex are outside every check digit, the name line too.
        pytest.param(TD3, 1, 10, "X", None, id="td3-nationality-unchecked"),
        pytest.param(TD3, 0, 7, "X", None, id="td3-name-unchecked"),
        pytest.param(TD2, 1, 30, "B", "composite", id="td2-optional-data-only-composite"),
        pytest.param(TD1, 0, 20, "B", "composite", id="td1-line1-optional-only-composite"),
        pytest.param(TD1, 1, 20, "B", "composite", id="td1-line2-optional-only-composite"),
        # A limit of the 7-3-1 scheme itself: A, K and U weigh 10, 20 and 30, which are 0
        # modulo 10 like the filler, so putting one in place of a "<" goes unnoticed.
        pytest.param(TD1, 1, 20, "K", None, id="td1-k-for-filler-undetectable"),
    ],
)
def test_corrupted_data_is_caught_by_its_check_digit(lines, row, column, char, field):
    corrupted = replace(lines, row, column, char)
    if field is None:
        parse(corrupted)
        return
    with pytest.raises(MRZError) as caught:
        parse(corrupted)
    assert caught.value.field == field


def test_personal_number_check_digit_may_be_a_filler_when_the_field_is_empty():
    lines = td3(personal="", personal_check="<")
    assert lines[1][28:43] == "<" * 15
    assert parse(lines).optional_data == ""
    # ... and may equally be printed as 0, which is what the computation gives.
    assert parse(td3(personal="")).optional_data == ""


def test_personal_number_check_digit_may_not_be_a_filler_when_the_field_is_used():
    with pytest.raises(MRZError) as caught:
        parse(td3(personal="ZE184226B", personal_check="<"))
    assert caught.value.field == "optional_data"


# --------------------------------------------------------------------------- format


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n \r\n", id="only-whitespace"),
        pytest.param(TD3[0], id="td3-one-line"),
        pytest.param("\n".join((*TD3, TD3[1])), id="td3-three-lines"),
        pytest.param("\n".join(TD1[:2]), id="td1-two-lines"),
        pytest.param("\n".join((*TD1, TD1[2])), id="td1-four-lines"),
        pytest.param(TD3[0] + "\n" + TD3[1][:-1], id="td3-line-too-short"),
        pytest.param(TD3[0] + "<\n" + TD3[1], id="td3-line-too-long"),
        pytest.param(TD3[0] + "\n" + TD2[1], id="mixed-44-and-36"),
        pytest.param("\n".join((TD1[0], TD1[1])) + "\n" + TD2[0], id="td1-with-a-36-line"),
        pytest.param("".join(TD3)[:-1], id="concatenated-87"),
        pytest.param("".join(TD1) + "<", id="concatenated-91"),
    ],
)
def test_wrong_shape_is_a_format_error(text):
    with pytest.raises(MRZError) as caught:
        parse_mrz(text, today=TODAY)
    assert caught.value.field == "format"
    assert "baris" in caught.value.message_id


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        pytest.param(replace(TD3, 1, 20, "Q"), "format", id="unknown-sex-code"),
        pytest.param(
            ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]), "format", id="visa-mrv-a"
        ),
    ],
)
def test_other_format_errors(lines, field):
    with pytest.raises(MRZError) as caught:
        parse(lines)
    assert caught.value.field == field


# --------------------------------------------------------------------------- characters


@pytest.mark.parametrize(
    ("lines", "position"),
    [
        pytest.param(replace(TD3, 0, 10, "?"), "baris 1, posisi 11", id="question-mark-in-name"),
        pytest.param(replace(TD3, 1, 0, "-"), "baris 2, posisi 1", id="hyphen-in-number"),
        pytest.param(replace(TD1, 2, 3, "é"), "baris 3, posisi 4", id="accented-letter"),
        pytest.param(replace(TD2, 0, 2, "ß"), "baris 1, posisi 3", id="sharp-s-not-uppercased"),
        pytest.param(
            replace(TD3, 0, 10, " "), "baris 1, posisi 11", id="space-replacing-a-character"
        ),
        pytest.param(
            replace(TD1, 2, 8, "\u00a0"),
            "baris 3, posisi 9",
            id="non-breaking-space-line-length-valid",
        ),
    ],
)
def test_characters_outside_the_alphabet(lines, position):
    with pytest.raises(MRZError) as caught:
        parse(lines)
    assert caught.value.field == "characters"
    assert position in caught.value.message_id


# --------------------------------------------------------------------------- dates


def with_birth(birth: str, today: dt.date = TODAY) -> MRZ:
    return parse(td3(birth=birth), today=today)


def with_expiry(expiry: str, today: dt.date = TODAY) -> MRZ:
    return parse(td3(expiry=expiry), today=today)


@pytest.mark.parametrize(
    ("build", "value"),
    [
        pytest.param(with_birth, "741312", id="birth-month-13"),
        pytest.param(with_birth, "740012", id="birth-month-00"),
        pytest.param(with_birth, "740832", id="birth-day-32"),
        pytest.param(with_birth, "740431", id="birth-31-april"),
        pytest.param(with_birth, "230229", id="birth-29-feb-common-year"),
        pytest.param(with_birth, "74<812", id="birth-filler-inside-a-pair"),
        pytest.param(with_birth, "7413<<", id="birth-unknown-day-month-13"),
        pytest.param(with_expiry, "121315", id="expiry-month-13"),
        pytest.param(with_expiry, "120400", id="expiry-day-00"),
        pytest.param(with_expiry, "1204<<", id="expiry-partly-unknown"),
    ],
)
def test_impossible_dates(build, value):
    with pytest.raises(MRZError) as caught:
        build(value)
    assert caught.value.field == "dates"
    assert value in caught.value.message_id


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        pytest.param("740812", TODAY, D(1974, 8, 12), id="1974"),
        pytest.param("991231", TODAY, D(1999, 12, 31), id="1999"),
        pytest.param("000229", TODAY, D(2000, 2, 29), id="29-feb-2000"),
        pytest.param("250601", TODAY, D(2025, 6, 1), id="born-today"),
        pytest.param("250602", TODAY, D(1925, 6, 2), id="tomorrow-means-a-century-ago"),
        pytest.param("200101", TODAY, D(2020, 1, 1), id="child-2020"),
        pytest.param("200101", D(2019, 12, 31), D(1920, 1, 1), id="same-digits-before-2020"),
        pytest.param("300101", TODAY, D(1930, 1, 1), id="1930-not-2030"),
        pytest.param("300101", D(2031, 1, 1), D(2030, 1, 1), id="2030-once-it-has-passed"),
    ],
)
def test_birth_century_is_the_latest_not_in_the_future(birth, today, expected):
    assert with_birth(birth, today).birth_date == expected


def test_birth_date_with_no_past_candidate_is_a_dates_error():
    # On 1 January 2000, 29 February 2000 is still ahead and 1900 was not a leap year.
    with pytest.raises(MRZError) as caught:
        with_birth("000229", D(2000, 1, 1))
    assert caught.value.field == "dates"


@pytest.mark.parametrize(
    "birth",
    [
        pytest.param("7408<<", id="unknown-day"),
        pytest.param("74<<<<", id="unknown-day-and-month"),
        pytest.param("<<<<<<", id="wholly-unknown"),
    ],
)
def test_unknown_birth_day_or_month(birth):
    mrz = with_birth(birth)
    assert mrz.birth_date is None
    assert mrz.birth_date_raw == birth


@pytest.mark.parametrize(
    ("expiry", "today", "expected"),
    [
        pytest.param("120415", TODAY, D(2012, 4, 15), id="expired-2012"),
        pytest.param("350101", TODAY, D(2035, 1, 1), id="2035"),
        pytest.param("750601", TODAY, D(2075, 6, 1), id="exactly-50-years-ahead"),
        pytest.param("750602", TODAY, D(1975, 6, 2), id="a-day-more-than-50-years-ahead"),
        pytest.param("991231", TODAY, D(1999, 12, 31), id="1999"),
        pytest.param("000101", TODAY, D(2000, 1, 1), id="2000"),
        pytest.param("050101", D(2090, 1, 1), D(2105, 1, 1), id="next-century-late-2090s"),
    ],
)
def test_expiry_century(expiry, today, expected):
    assert with_expiry(expiry, today).expiry_date == expected


def test_expiry_wholly_unknown():
    mrz = with_expiry("<<<<<<")
    assert mrz.expiry_date is None
    assert mrz.expiry_date_raw == "<<<<<<"


# --------------------------------------------------------------------------- fields


def test_german_passport_issuing_state_and_nationality_d():
    lines = td3(
        "MUSTERMANN<<ERIKA",
        state="D<<",
        nationality="D<<",
        number="C01X00T47",
        birth="640812",
        expiry="310131",
    )
    assert lines[0].startswith("P<D<<MUSTERMANN<<ERIKA<")
    mrz = parse(lines)
    assert (mrz.issuing_state, mrz.nationality) == ("D", "D")
    assert mrz.document_number == "C01X00T47"


@pytest.mark.parametrize(
    ("sex", "expected"),
    [
        pytest.param("M", "M", id="male"),
        pytest.param("F", "F", id="female"),
        pytest.param("<", "X", id="filler-unspecified"),
        pytest.param("X", "X", id="x"),
    ],
)
def test_sex(sex, expected):
    assert parse(td3(sex=sex)).sex == expected


@pytest.mark.parametrize(
    ("name", "surname", "given_names"),
    [
        pytest.param(
            "VAN<DER<BERG<<JAN<PIETER", "VAN DER BERG", "JAN PIETER", id="multi-part-surname"
        ),
        pytest.param("ERIKSSON<<ANNA<MARIA", "ERIKSSON", "ANNA MARIA", id="specimen"),
        pytest.param("SUKARNO", "SUKARNO", "", id="single-name-no-given-names"),
        pytest.param("SUKARNO<<", "SUKARNO", "", id="single-name-with-separator"),
        pytest.param("NGUYEN<<VAN<<AN", "NGUYEN", "VAN AN", id="stray-double-filler-in-given"),
        pytest.param("A" * 30 + "<<" + "B" * 7, "A" * 30, "B" * 7, id="fills-all-39-positions"),
    ],
)
def test_names(name, surname, given_names):
    mrz = parse(td3(name))
    assert (mrz.surname, mrz.given_names) == (surname, given_names)


def test_van_der_berg_line_as_given():
    lines = td3(
        "VAN<DER<BERG<<JAN<PIETER",
        code="P<",
        number="NL1234567",
        nationality="NLD",
        birth="850315",
        sex="M",
        expiry="300314",
    )
    assert lines[0] == "P<UTOVAN<DER<BERG<<JAN<PIETER<<<<<<<<<<<<<<<"
    assert lines[1] == "NL12345672NLD8503150M3003149<<<<<<<<<<<<<<04"
    mrz = parse(lines)
    assert (mrz.surname, mrz.given_names, mrz.sex) == ("VAN DER BERG", "JAN PIETER", "M")
    assert (mrz.birth_date, mrz.expiry_date) == (D(1985, 3, 15), D(2030, 3, 14))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("P<", "P", id="passport"),
        pytest.param("PD", "PD", id="diplomatic-passport"),
        pytest.param("AC", "AC", id="crew-member-certificate"),
    ],
)
def test_document_code(code, expected):
    assert parse(td3(code=code)).document_code == expected


def test_short_document_number_fillers_removed():
    assert parse(td3(number="A1234")).document_number == "A1234"


# --------------------------------------------------------------------------- long numbers


@pytest.mark.parametrize(
    ("tail", "number", "optional"),
    [
        pytest.param("D23145890<7349<", "D23145890734", "", id="td1-long-number"),
        pytest.param(
            "D23145890<7349<ABC123",
            "D23145890734",
            "ABC123",
            id="td1-long-number-then-optional-data",
        ),
    ],
)
def test_td1_long_document_number(tail, number, optional):
    mrz = parse(td1(tail))
    assert mrz.document_number == number
    assert mrz.optional_data == optional


def test_td1_long_document_number_filling_the_whole_optional_field():
    number = "D23145890" + "12345678901234"
    mrz = parse(td1("D23145890<" + "12345678901234" + check_digit(number)))
    assert (mrz.document_number, mrz.optional_data) == (number, "")


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("D23145890<7348<", id="wrong-check-digit"),
        pytest.param("D23145890<<<<<<", id="no-continuation"),
        pytest.param("D23145890<9<<<<", id="check-digit-without-continuation"),
    ],
)
def test_td1_long_document_number_errors(tail):
    with pytest.raises(MRZError) as caught:
        parse(td1(tail))
    assert caught.value.field == "document_number"


def test_td2_long_document_number():
    mrz = parse(td2("D23145890<", "7349<AB"))
    assert (mrz.document_number, mrz.optional_data) == ("D23145890734", "AB")


def test_td3_filler_document_check_digit_is_not_a_long_number():
    with pytest.raises(MRZError) as caught:
        parse(replace(TD3, 1, 9, "<"))
    assert caught.value.field == "document_number"


# --------------------------------------------------------------------------- the error


def test_mrz_error_is_a_value_error_with_both_languages():
    with pytest.raises(ValueError) as caught:
        parse(replace(TD3, 1, 9, "0"))
    error = caught.value
    assert isinstance(error, MRZError)
    assert error.field == "document_number"
    assert error.message_id == (
        "Digit pemeriksa nomor dokumen tidak cocok. Periksa kembali MRZ atau pindai ulang dokumen."
    )
    assert str(error) == error.message_en
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.field, copy.message_id, copy.message_en) == (
        error.field,
        error.message_id,
        error.message_en,
    )
