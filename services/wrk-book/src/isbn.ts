// ISBN-10 and ISBN-13 with their check digits. Hyphens and spaces are how ISBNs are printed, so
// they are accepted and dropped: the stored form is the bare digits (and a final X for ISBN-10).

export type IsbnCheck = { ok: true; isbn: string } | { ok: false; problem: string };

/** The stored form of an ISBN, or why it is not one. An empty text is a valid "no ISBN". */
export function checkIsbn(text: string): IsbnCheck {
  const bare = text.replace(/[\s-]/g, "").toUpperCase();
  if (bare === "") return { ok: true, isbn: "" };
  if (/^\d{9}[\dX]$/.test(bare)) {
    return isbn10CheckDigitMatches(bare) ? { ok: true, isbn: bare } : { ok: false, problem: "check digit does not match" };
  }
  if (/^\d{13}$/.test(bare)) {
    if (!bare.startsWith("978") && !bare.startsWith("979")) return { ok: false, problem: "an ISBN-13 starts with 978 or 979" };
    return isbn13CheckDigitMatches(bare) ? { ok: true, isbn: bare } : { ok: false, problem: "check digit does not match" };
  }
  return { ok: false, problem: "must be an ISBN-10 or ISBN-13: 10 or 13 digits (an ISBN-10 may end in X), hyphens and spaces allowed" };
}

/** ISBN-10: the digits weighted 10 down to 1 (X is 10) sum to a multiple of 11. */
function isbn10CheckDigitMatches(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (digits[i] === "X" ? 10 : Number(digits[i]));
  return sum % 11 === 0;
}

/** ISBN-13 (EAN-13): the digits weighted 1, 3, 1, 3, ... sum to a multiple of 10. */
function isbn13CheckDigitMatches(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(digits[i]);
  return sum % 10 === 0;
}
