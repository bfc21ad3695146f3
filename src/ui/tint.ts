/** Ink colour prop that disappears when colour is off (NO_COLOR, TERM=dumb): chalk alone ignores NO_COLOR. */
export function tint<C extends string>(color: boolean, name: C): C | undefined {
  return color ? name : undefined;
}
