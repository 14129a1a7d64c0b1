'use strict';
// Stand-in for codeforamerica/node-sparkxml, which open311@0.0.12 names as a git dependency that cannot be
// fetched (and which needs the native libxmljs). Same API and the same "Spark" conversion rules as its
// sparkxml.js: an element with one child element, or with repeated child names, becomes an array; an element
// with several distinct children becomes an object; a leaf becomes its text (null when it has no content),
// with numbers and true/false parsed unless parseTypes is false.
// A small non-validating XML reader (SAX style): elements, attributes, text, the five named entities and
// numeric character references, CDATA, comments, processing instructions and a DOCTYPE without an internal
// subset. That covers what Open311 servers send; anything malformed throws instead of guessing.
var ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decode(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, function (all, ref) {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    if (!Object.prototype.hasOwnProperty.call(ENTITIES, ref)) throw new Error('XML: unknown entity &' + ref + ';');
    return ENTITIES[ref];
  });
}
var START = /<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
var ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
function readXml(xml, on) {
  var pos = 0, stack = [], seenRoot = false;
  function until(marker, from) {
    var e = xml.indexOf(marker, from);
    if (e < 0) throw new Error('XML: unterminated markup at offset ' + pos);
    return e;
  }
  function text(s) {
    if (!stack.length) {
      if (s.trim()) throw new Error('XML: text outside the root element at offset ' + pos);
      return;
    }
    on.text(s);
  }
  while (pos < xml.length) {
    var lt = xml.indexOf('<', pos);
    if (lt < 0) lt = xml.length;
    if (lt > pos) text(decode(xml.slice(pos, lt)));
    pos = lt;
    if (pos >= xml.length) break;
    if (xml.startsWith('<!--', pos)) pos = until('-->', pos + 4) + 3;
    else if (xml.startsWith('<![CDATA[', pos)) { var e = until(']]>', pos + 9); text(xml.slice(pos + 9, e)); pos = e + 3; }
    else if (xml.startsWith('<?', pos)) pos = until('?>', pos + 2) + 2;
    else if (xml.startsWith('<!', pos)) pos = until('>', pos + 2) + 1;
    else if (xml[pos + 1] === '/') {
      var end = until('>', pos);
      var name = xml.slice(pos + 2, end).trim();
      if (stack.pop() !== name) throw new Error('XML: unexpected </' + name + '> at offset ' + pos);
      on.end(name);
      pos = end + 1;
    } else {
      START.lastIndex = pos;
      var m = START.exec(xml);
      if (!m) throw new Error('XML: malformed tag at offset ' + pos);
      if (!stack.length && seenRoot) throw new Error('XML: more than one root element');
      seenRoot = true;
      var attrs = {}, a;
      ATTR.lastIndex = 0;
      while ((a = ATTR.exec(m[2]))) attrs[a[1]] = decode(a[2] !== undefined ? a[2] : a[3]);
      on.start(m[1], attrs);
      if (m[3]) on.end(m[1]);
      else stack.push(m[1]);
      pos = START.lastIndex;
    }
  }
  if (stack.length || !seenRoot) throw new Error('XML: document ' + (seenRoot ? 'ends inside <' + stack[stack.length - 1] + '>' : 'has no root element'));
}

function toTree(xml) {
  var root = null, stack = [];
  readXml(xml, {
    start: function (name) {
      var el = { name: name, elements: [], text: '', nodes: 0 };
      if (stack.length) { stack[stack.length - 1].elements.push(el); stack[stack.length - 1].nodes++; } else root = el;
      stack.push(el);
    },
    text: function (s) { var top = stack[stack.length - 1]; top.text += s; top.nodes++; },
    end: function () { stack.pop(); },
  });
  return root;
}

function parseValue(value) {
  var n = Number(value);
  if (!isNaN(n)) return n;
  var lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return value;
}

function convert(el, parseTypes) {
  if (el.elements.length === 0) {
    var value = el.nodes === 0 ? null : el.text;
    return parseTypes && value != null && value !== '' ? parseValue(value) : value;
  }
  var isList = el.elements.length === 1;
  var result = isList ? [] : {};
  el.elements.forEach(function (child) {
    if (!isList && Object.prototype.hasOwnProperty.call(result, child.name)) {
      isList = true;
      result = Object.keys(result).map(function (k) { return result[k]; });
    }
    var value = convert(child, parseTypes);
    if (isList) result.push(value);
    else result[child.name] = value;
  });
  return result;
}

/** parseXml(xmlString, parseTypes = true) → object or array by the Spark convention. */
exports.parseXml = function (xmlString, parseTypes) {
  return convert(toTree(String(xmlString)), parseTypes !== false);
};
