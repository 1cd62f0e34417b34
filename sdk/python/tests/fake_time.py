"""A test double for the clock, so that retries run at once instead of waiting."""


class FakeTime:
    """A clock that moves only when something sleeps; remembers every sleep."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
