package io.rebound.check;

/**
 * HAProxy's rise/fall hysteresis in one integer: values 0..rise-1 are down, rise..rise+fall-1 are up. A pass moves the
 * value up, a fail moves it down, both capped. Crossing into up sets the maximum (so going down takes {@code fall}
 * fails); crossing into down sets 0 (so coming back takes {@code rise} passes). A new server starts at rise-1: down,
 * and up after its first passing check.
 */
public record Health(int value, int rise, int fall) {

    public Health {
        if (rise < 1 || fall < 1 || value < 0 || value > rise + fall - 1) {
            throw new IllegalArgumentException("health: " + value + " rise " + rise + " fall " + fall
                    + " (expected: rise, fall >= 1 and 0 <= value < rise + fall)");
        }
    }

    public static Health initial(int rise, int fall) {
        return new Health(rise - 1, rise, fall);
    }

    public boolean isUp() {
        return value >= rise;
    }

    public Health pass() {
        if (!isUp() && value + 1 >= rise) {
            return new Health(max(), rise, fall);
        }
        return new Health(Math.min(value + 1, max()), rise, fall);
    }

    public Health fail() {
        if (isUp() && value - 1 < rise) {
            return new Health(0, rise, fall);
        }
        return new Health(Math.max(value - 1, 0), rise, fall);
    }

    private int max() {
        return rise + fall - 1;
    }
}
