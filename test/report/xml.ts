/**
 * A tiny strict XML reader for tests: enough of XML 1.0 to prove a JUnit file is well formed
 * (matched tags, quoted attributes, only known entities, CDATA) and to walk its elements.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  if (raw.includes('<')) throw new Error(`raw '<' in text or attribute near offset ${at}`);
  return raw.replace(/&([^;\s]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`bare '&' near offset ${at}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) throw new Error(`unknown entity &${name}; near offset ${at}`);
    return v;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const expect = (cond: boolean, what: string) => {
    if (!cond) throw new Error(`${what} at offset ${i}`);
  };
  while (i < xml.length) {
    if (xml.startsWith('<?', i)) {
      i = xml.indexOf('?>', i) + 2;
      expect(i > 1, 'unterminated <?');
    } else if (xml.startsWith('<!--', i)) {
      i = xml.indexOf('-->', i) + 3;
      expect(i > 2, 'unterminated comment');
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      expect(end > 0 && stack.length > 0, 'CDATA outside an element or unterminated');
      const top = stack[stack.length - 1];
      if (top) top.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const top = stack.pop();
      expect(top?.name === name, `</${name}> does not close <${top?.name}>`);
      i = end + 1;
    } else if (xml[i] === '<') {
      const m = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(i));
      expect(m !== null, 'malformed start tag');
      const [whole = '', name = '', attrText = '', selfClose] = m ?? [];
      const el: XmlElement = { name, attrs: {}, children: [], text: '' };
      for (const a of attrText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const key = a[1] ?? '';
        expect(!(key in el.attrs), `duplicate attribute ${key}`);
        el.attrs[key] = decode(a[2] ?? a[3] ?? '', i);
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else {
        expect(root === null, 'second root element');
        root = el;
      }
      if (!selfClose) stack.push(el);
      i += whole.length;
    } else {
      const end = xml.indexOf('<', i) === -1 ? xml.length : xml.indexOf('<', i);
      const text = decode(xml.slice(i, end), i);
      const top = stack[stack.length - 1];
      if (top) top.text += text;
      else expect(text.trim() === '', 'text outside the root element');
      i = end;
    }
  }
  expect(stack.length === 0 && root !== null, 'unclosed elements or no root');
  return root as unknown as XmlElement;
}

/** All descendants named `name`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
