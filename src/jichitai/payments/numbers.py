"""納付番号: the number printed on a payment slip and quoted by banks in their receipts files."""

import secrets

# Random digits between the 年度 and the check digit: with the gateway's secret it is what keeps a
# payment from being named by anyone who has not been given its slip.
RANDOM_DIGITS = 10


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


def payment_number(organization_code: str, fiscal_year: int) -> str:
    """``<団体コード 6><年度 2><random 10><check>``, e.g. 2420122683017746920: readable by a
    teller, not guessable from another number or from the application, and a mistyped digit is
    caught by the Luhn check digit. Uniqueness is the caller's to ensure."""
    body = f"{organization_code}{fiscal_year % 100:02d}{secrets.randbelow(10**RANDOM_DIGITS):0{RANDOM_DIGITS}d}"
    return body + luhn_check_digit(body)


def is_valid_payment_number(number: str) -> bool:
    return number.isdigit() and len(number) >= 16 and luhn_check_digit(number[:-1]) == number[-1]
