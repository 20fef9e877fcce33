/** `text` as a whole number of at least 1, or an error naming `label`. */
export function atLeastOne(label: string, text: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${label} must be a whole number of at least 1`)
  return value
}

/** A whole number of seconds, rounds or pairs from the environment, at least 1. */
export const positive = (name: string, fallback: number): number =>
  atLeastOne(name, process.env[name] ?? String(fallback))

/** The middle value (the upper one of an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
