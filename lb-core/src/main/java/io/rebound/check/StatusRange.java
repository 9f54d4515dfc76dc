package io.rebound.check;

/** Status codes that count as a passing check, inclusive ({@code "200-399"} or {@code "200"}). */
public record StatusRange(int min, int max) {

    public StatusRange {
        if (min < 100 || max > 599 || min > max) {
            throw new IllegalArgumentException("status range: " + min + "-" + max + " (expected: 100-599, min <= max)");
        }
    }

    /** @throws IllegalArgumentException when the text is not {@code min-max} or a single code within 100-599 */
    public static StatusRange parse(String text) {
        String trimmed = text.trim();
        int dash = trimmed.indexOf('-');
        try {
            if (dash < 0) {
                int code = Integer.parseInt(trimmed);
                return new StatusRange(code, code);
            }
            return new StatusRange(Integer.parseInt(trimmed.substring(0, dash).trim()),
                    Integer.parseInt(trimmed.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("status range: " + text + " (expected: min-max such as 200-399)", e);
        }
    }

    public boolean contains(int status) {
        return status >= min && status <= max;
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
