package io.rebound.resolve;

/** {@code addresses} of a server entry: the name's first address (one server), or all of them (a group of slots). */
public enum AddressMode { ONE, ALL }
