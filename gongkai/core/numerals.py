"""Amounts in Chinese capital numerals (大写金额), as accounting sheets write totals.

The rules are those of the People's Bank of China for writing amounts (支付结算办法):
one 零 for a run of zeros inside the figure; 零 after 元 when the 角 is 0 and the 分 is
not (壹佰元零伍分); 零 after 元 when the units digit is 0 and a 角 follows (壹佰元零壹角);
整 after 元 when there are no 角 or 分, and not after 角 or 分; 壹拾, never a bare 拾.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")


def capital_yuan(amount: Decimal) -> str:
    """Write an amount of yuan in capital numerals: 12000.00 -> 壹万贰仟元整."""
    cents = int((abs(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    sign = "负" if amount < 0 and cents else ""
    if yuan == 0 and cents:
        return sign + (DIGITS[jiao] + "角" if jiao else "") + (DIGITS[fen] + "分" if fen else "")
    text = _integer(yuan) + "元"
    if not jiao and not fen:
        return sign + text + "整"
    if jiao:
        text += ("零" if yuan % 10 == 0 else "") + DIGITS[jiao] + "角"
    else:
        text += "零"
    return sign + text + (DIGITS[fen] + "分" if fen else "")


def _integer(number: int) -> str:
    """Write a whole number: 100010 -> 壹拾万零壹拾, 1000100000000 -> 壹万零壹亿."""
    if number == 0:
        return "零"
    if number >= 10**8:
        high, low = divmod(number, 10**8)
        text = _integer(high) + "亿"
        return text + ("零" if low < 10**7 else "") + _integer(low) if low else text
    high, low = divmod(number, 10**4)
    if not high:
        return _group(low)
    text = _group(high) + "万"
    return text + ("零" if low < 1000 else "") + _group(low) if low else text


def _group(number: int) -> str:
    """Write 1 to 9999: 1010 -> 壹仟零壹拾."""
    text, zero = "", False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zero = zero or bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + PLACES[place]
    return text
