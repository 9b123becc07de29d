/** A payload that a JSON round trip would change: a 20-digit integer, escapes, astral and combining characters. */
export const TRICKY_PAYLOAD = '{"id":12345678901234567890,"name":"Zoë \\u00e9 日本語 🧊 e\u0301","note":"a\\"b","x":1.0}';
