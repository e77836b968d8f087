from datetime import date

from stdnum.pl import pesel as stdnum_pesel


def pesel_make(birth: date, female: bool, serial: int = 0) -> str:
    """A valid PESEL for a birth date and sex (for demo data and tests)."""
    century_offset = {1800: 80, 1900: 0, 2000: 20, 2100: 40, 2200: 60}[birth.year // 100 * 100]
    month = birth.month + century_offset
    sex_digit = (serial % 5) * 2 + (0 if female else 1)
    body = f"{birth:%y}{month:02d}{birth:%d}{serial % 1000:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)
