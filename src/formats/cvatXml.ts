/**
 * XML → a small element tree that knows each element's line, for the CVAT reader.
 *
 * Parsing is fast-xml-parser's: there is no DOMParser in a Worker or in Node, and a tokenizer of our
 * own would have to get CDATA, comments, character references and declarations right. Its
 * validator gives the line and column of malformed XML; `captureMetaData` gives each element's
 * offset, so semantic errors (a bad coordinate on one box) can name their line too.
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FormatError, lineColumnAt } from './errors';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content of this element (not of its children). */
  text: string;
  line: number;
  /** XPath-like, 1-based among same-named siblings: `/annotations/track[2]/box[5]`. */
  path: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The five XML entities and character references, decoded in one pass (so `&amp;lt;` stays `&lt;`).
 * Our own decoder, because the library's default counts expansions against a limit meant for DTD
 * entities, and CVAT files have no DTD; an unknown entity is left as written.
 */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (m, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name]!;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

const META = XMLParser.getMetaDataSymbol();

function makeParser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    entityDecoder: { decode: decodeEntities, setExternalEntities() {}, addInputEntities() {}, reset() {}, setXmlVersion() {} },
  });
}

type RawNode = Record<string, unknown>;

/** Line numbers from offsets, by binary search over line starts (one pass to build). */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Parse `text` into the document element.
 * @throws FormatError naming the line (and column) of malformed XML
 */
export function parseXml(rawText: string, file: string): XmlElement {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (!/\S/.test(text)) throw new FormatError({ file, path: '/', detail: 'the file is empty' });
  // CVAT writes no DTD. One that declares entities is at best a stranger's file and at worst a
  // "billion laughs": refused whole, rather than imported with `&lol9;` as a label.
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype >= 0) {
    const entity = text.indexOf('<!ENTITY', doctype);
    const root = text.indexOf('<annotations', doctype);
    if (entity >= 0 && (root < 0 || entity < root)) {
      throw new FormatError({ file, line: lineIndex(text)(entity), path: '/', detail: 'a DOCTYPE that declares entities is not supported (CVAT files have no DTD)' });
    }
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const init = { file, line, path: '/', detail: `not well-formed XML: ${msg}` };
    throw new FormatError(col ? { ...init, column: col } : init);
  }
  let raw: RawNode[];
  try {
    raw = makeParser().parse(text) as RawNode[];
  } catch (e) {
    // The validator passed; what is left are the parser's own limits (nesting depth, reserved names).
    throw new FormatError({ file, path: '/', detail: `cannot read the XML: ${e instanceof Error ? e.message : String(e)}` });
  }
  const lineAt = lineIndex(text);
  const convert = (node: RawNode, name: string, path: string): XmlElement => {
    const meta = node[META as unknown as string] as { startIndex?: number } | undefined;
    const el: XmlElement = { name, attrs: {}, children: [], text: '', line: meta?.startIndex !== undefined ? lineAt(meta.startIndex) : 1, path };
    const attrs = node[':@'] as Record<string, unknown> | undefined;
    if (attrs) for (const [k, v] of Object.entries(attrs)) el.attrs[k] = legalXmlChars(String(v));
    const seen = new Map<string, number>();
    for (const child of (node[name] as RawNode[] | undefined) ?? []) {
      const key = Object.keys(child).find((k) => k !== ':@');
      if (key === undefined) continue;
      if (key === '#text') {
        el.text += legalXmlChars(String(child[key]));
        continue;
      }
      if (key.startsWith('?') || key.startsWith('!')) continue;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      el.children.push(convert(child, key, `${path}/${key}[${n}]`));
    }
    return el;
  };
  const roots = raw.filter((n) => Object.keys(n).some((k) => k !== ':@' && k !== '#text' && !k.startsWith('?') && !k.startsWith('!')));
  if (roots.length !== 1) {
    const second = roots[1];
    const at = second ? (second[META as unknown as string] as { startIndex?: number } | undefined)?.startIndex : undefined;
    const where = at !== undefined ? lineColumnAt(text, at) : undefined;
    const init = { file, path: '/', detail: roots.length ? 'more than one root element' : 'no root element' };
    throw new FormatError(where ? { ...init, line: where.line, column: where.column } : init);
  }
  const root = roots[0]!;
  const name = Object.keys(root).find((k) => k !== ':@')!;
  return convert(root, name, `/${name}`);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childText(el: XmlElement | undefined, name: string): string | undefined {
  const c = el && child(el, name);
  return c ? c.text.trim() : undefined;
}

// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot carry
const ILLEGAL = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Characters XML 1.0 cannot carry, dropped: on output they would make the file unreadable, and on
 * input (the validator lets some through, and `&#0;` decodes to one) dropping them too means what
 * we read is what we can write back.
 */
export function legalXmlChars(s: string): string {
  return s.replace(ILLEGAL, '');
}

/** For XML output: text content and attribute values. */
export function escapeXml(s: string): string {
  return legalXmlChars(s).replace(/[&<>"\n\r\t]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' })[c]!);
}
