"""納付番号: the number printed on a payment slip and quoted by banks in their receipts files."""


def luhn_check_digit(digits: str) -> str:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def payment_number(organization_code: str, fiscal_year: int, serial: int) -> str:
    """``<団体コード 6><年度 2><serial 7+><check>``, e.g. 2420122600001234X: readable by a teller,
    unique, and a mistyped digit is caught by the Luhn check digit."""
    body = f"{organization_code}{fiscal_year % 100:02d}{serial:07d}"
    return body + luhn_check_digit(body)


def is_valid_payment_number(number: str) -> bool:
    return number.isdigit() and len(number) >= 16 and luhn_check_digit(number[:-1]) == number[-1]
