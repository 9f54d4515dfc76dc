package io.rebound.check;

/**
 * Rise/fall hysteresis in one integer, after HAProxy: values 0..rise-1 are down, rise..rise+fall-1 are up. While down,
 * a pass moves the value up and a fail resets it to 0; while up, a fail moves it down and a pass resets it to the top.
 * So a server goes down after exactly {@code fall} consecutive failures and comes up after exactly {@code rise}
 * consecutive passes (HAProxy lets a pass undo only one failure; here rise and fall count consecutive results, as the
 * configuration says). A new server starts at rise-1: down, and up after its first passing check.
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
        if (isUp() || value + 1 >= rise) {
            return new Health(max(), rise, fall);
        }
        return new Health(value + 1, rise, fall);
    }

    public Health fail() {
        if (!isUp() || value - 1 < rise) {
            return new Health(0, rise, fall);
        }
        return new Health(value - 1, rise, fall);
    }

    private int max() {
        return rise + fall - 1;
    }
}
