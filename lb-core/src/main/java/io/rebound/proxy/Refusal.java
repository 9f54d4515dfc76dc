package io.rebound.proxy;

import io.undertow.util.StatusCodes;

/**
 * Why the proxy refused a client's request itself, with the status it answers and the {@code reason} label of
 * {@code rebound_frontend_request_errors_total}. None of these requests reaches a server as a complete one.
 */
enum Refusal {
    REQUEST_LINE_TOO_LONG(StatusCodes.REQUEST_URI_TOO_LARGE, "request-line-too-long", "Request line too long"),
    HEADER_FIELD_TOO_LARGE(StatusCodes.REQUEST_HEADER_FIELDS_TOO_LARGE, "header-field-too-large",
            "Header field too large"),
    TOO_MANY_HEADER_FIELDS(StatusCodes.REQUEST_HEADER_FIELDS_TOO_LARGE, "too-many-header-fields",
            "Too many header fields"),
    INVALID_TRANSFER_ENCODING(StatusCodes.BAD_REQUEST, "invalid-transfer-encoding",
            "Transfer-Encoding must be chunked, once and last"),
    UNSUPPORTED_TRANSFER_CODING(StatusCodes.NOT_IMPLEMENTED, "unsupported-transfer-coding",
            "Transfer codings other than chunked are not supported"),
    INVALID_TARGET(StatusCodes.BAD_REQUEST, "invalid-target", "Invalid request target"),
    BODY_TOO_LARGE(StatusCodes.REQUEST_ENTITY_TOO_LARGE, "body-too-large", "Request body too large"),
    INVALID_BODY(StatusCodes.BAD_REQUEST, "invalid-body", "Invalid chunked request body"),
    CUT_BODY(StatusCodes.BAD_REQUEST, "cut-body", "Request body ended before its end"),
    BODY_TIMEOUT(StatusCodes.REQUEST_TIME_OUT, "body-timeout", "Request body not received in time");

    final int status;
    final String reason;
    final String text;

    Refusal(int status, String reason, String text) {
        this.status = status;
        this.reason = reason;
        this.text = text;
    }

    /** The plain-text answer. */
    String answer() {
        return status + " " + text + "\n";
    }
}
