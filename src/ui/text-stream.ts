/** The part of a writable stream the reporters use; process.stderr fits, and so does a test buffer. */
export interface TextStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}
