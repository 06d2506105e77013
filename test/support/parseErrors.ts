/** The ParseError expectation shared by the parser tests of weyl-algebra and restriction. */
import { expect } from 'vitest';
import { ParseError } from '@holonomic-ntk/weyl-algebra';

/** Runs f, expects a ParseError at `column` whose message matches `message`; returns it for further checks. */
export function parseErrorOf(f: () => unknown, column: number, message: RegExp): ParseError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ParseError);
  const err = caught as ParseError;
  expect(err.message).toMatch(message);
  expect(err.column).toBe(column);
  return err;
}
