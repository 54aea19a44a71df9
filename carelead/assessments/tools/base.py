"""What every scoring tool returns and how it refuses bad input. No Django: these run anywhere."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ToolScore:
    """A tool's result: its total (an int, or a Decimal where the source works in fractions) and
    its category, one of the category codes of reference/clinical-tools.md §11.1."""

    total: int | Decimal
    category: str


class ToolInputError(ValueError):
    """Bad or missing input: `errors` names each bad field with a plain-English message."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class Inputs:
    """Collects every problem with an input mapping before raising, so a form or an API caller
    hears about all bad fields at once, never just the first."""

    def __init__(self, raw: Mapping[str, Any], *, known: set[str]):
        self.raw = raw if isinstance(raw, Mapping) else {}
        self.errors: dict[str, str] = {}
        if not isinstance(raw, Mapping):
            self.errors["inputs"] = "Send the inputs as an object of field names and values"
        for name in self.raw:
            if name not in known:
                self.errors[name] = "This tool has no such input"

    def integer(self, name: str, *, low: int, high: int) -> int:
        value = self.raw.get(name)
        if value is None:
            self.errors[name] = "Enter a whole number"
        elif isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = "Enter a whole number"
        elif not low <= value <= high:
            self.errors[name] = f"Enter a whole number from {low} to {high}"
        else:
            return value
        return low

    def decimal(self, name: str, *, low: Decimal, high: Decimal) -> Decimal:
        value = self.raw.get(name)
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            self.errors[name] = "Enter a number"
            return low
        try:
            number = Decimal(str(value))  # str() first: Decimal(0.1) would keep the float's error
        except ArithmeticError:
            self.errors[name] = "Enter a number"
            return low
        if not number.is_finite() or not low <= number <= high:
            self.errors[name] = f"Enter a number from {low} to {high}"
            return low
        return number

    def boolean(self, name: str) -> bool:
        value = self.raw.get(name)
        if not isinstance(value, bool):
            self.errors[name] = "Answer true or false"
            return False
        return value

    def choice(self, name: str, options: Mapping[Any, Any]) -> Any:
        """One of `options` (keys); returns the mapped value (usually the points)."""
        value = self.raw.get(name)
        try:
            if value in options and not isinstance(value, bool):
                return options[value]
        except TypeError:  # an unhashable value (a list) is simply not an option
            pass
        self.errors[name] = "Choose one of: " + ", ".join(str(option) for option in options)
        return next(iter(options.values()))

    def choices(self, name: str, options: Mapping[str, int]) -> list[int]:
        """A list of distinct options (may be empty); returns their mapped values."""
        value = self.raw.get(name)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.errors[name] = "Send a list of: " + ", ".join(options)
            return []
        unknown = [item for item in value if item not in options]
        if unknown:
            self.errors[name] = "Not an option: " + ", ".join(unknown)
            return []
        if len(set(value)) != len(value):
            self.errors[name] = "Name each option once"
            return []
        return [options[item] for item in value]

    def check(self) -> None:
        """Raise ToolInputError naming every bad field, if there were any."""
        if self.errors:
            raise ToolInputError(self.errors)
