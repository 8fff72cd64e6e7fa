/*
 * XML 1.0 (www.w3.org/TR/xml) written so that any JavaScript string comes out well-formed: a
 * test's output can hold anything (control characters, "]]>", half of a surrogate pair), and
 * one such line must not make a CI system reject the whole report.
 */

/**
 * Characters XML 1.0 cannot carry at all, not even as a character reference (its Char
 * production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]): the
 * other C0 controls, U+FFFE, U+FFFF, and surrogates that are not half of a pair.
 */
const NOT_XML_CHAR = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Such a character shown as its JavaScript escape (`\u0007`), so the reader still sees what it was. */
function visibleEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** The text with every character XML cannot carry replaced by its visible escape. */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, visibleEscape);
}

/**
 * An attribute value in double quotes. Tab, line feed and carriage return are references:
 * a parser normalizes them to spaces in attribute values otherwise (XML 1.0, 3.3.3).
 */
function attributeValue(value: string): string {
  const escaped = xmlChars(value).replace(/[&<"\t\n\r]/g, (c) => ({ "&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" })[c]!);
  return `"${escaped}"`;
}

/**
 * Text as CDATA sections. A section ends at the first "]]>", so every one is split between two
 * sections ("]]" ends one, ">" starts the next); a carriage return is a character reference
 * between sections, since a parser turns one inside a section into a line feed (XML 1.0, 2.11).
 */
export function cdataSections(text: string): string {
  return xmlChars(text).split("\r").map((part) => `<![CDATA[${part.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`).join("&#13;");
}

/** An element of a document being written: attributes in the order given, then children or text. */
export class XmlElement {
  private readonly attributes: [string, string][] = [];
  private readonly children: XmlElement[] = [];
  private text: string | undefined;

  constructor(readonly name: string) {}

  attr(name: string, value: string | number): this {
    this.attributes.push([name, String(value)]);
    return this;
  }

  /** A new child element, appended. */
  child(name: string): XmlElement {
    const element = new XmlElement(name);
    this.children.push(element);
    return element;
  }

  /** The element's content: the text, as CDATA. */
  cdata(text: string): this {
    this.text = text;
    return this;
  }

  /** Indented two spaces a level; text content is written as it is, with no whitespace added. */
  lines(indent = ""): string[] {
    const open = `${indent}<${this.name}${this.attributes.map(([k, v]) => ` ${k}=${attributeValue(v)}`).join("")}`;
    if (this.text !== undefined) return [`${open}>${cdataSections(this.text)}</${this.name}>`];
    if (this.children.length === 0) return [`${open}/>`];
    return [`${open}>`, ...this.children.flatMap((c) => c.lines(`${indent}  `)), `${indent}</${this.name}>`];
  }
}

/** The whole document: the XML declaration, then the root element. */
export function xmlDocument(root: XmlElement): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', ...root.lines()].join("\n") + "\n";
}
