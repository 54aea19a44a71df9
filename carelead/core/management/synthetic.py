"""Synthetic values shared by the demo and scale generators, reproducible from a seed."""

import random
import uuid

import nhs_number


def synthetic_nhs_numbers(count: int, seed: int | str) -> list[str]:
    """`count` different valid NHS numbers from the range NHS England never issues.

    The library draws from the `random` module, so it is seeded here (and the caller's random
    state put back afterwards) to give the same numbers for the same seed.
    """
    state = random.getstate()
    random.seed(seed)
    try:
        numbers: dict[str, None] = {}
        while len(numbers) < count:
            wanted = count - len(numbers)
            for number in nhs_number.generate(for_region=nhs_number.REGION_SYNTHETIC, quantity=wanted):
                numbers.setdefault(number)
        return list(numbers)[:count]
    finally:
        random.setstate(state)


def uuid_from(rng: random.Random) -> uuid.UUID:
    """A version 4 UUID drawn from `rng`, so seeded data gets the same public ids each time."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)
