'use strict';
// Stand-in for xml2json@0.2.x, which open311@0.0.12 depends on and which needs the native node-expat.
// Only toJson() is provided (open311 uses nothing else), with the 0.2 rules: an element becomes an object of
// its attributes, trimmed text goes to "$t", an element holding only text collapses to that string, an empty
// element stays {}, and repeated names become arrays. Values are never converted to numbers.
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

/** toJson(xml, { object, reversible }) → a JSON string, or the object itself when options.object is true. */
exports.toJson = function (xml, options) {
  var opts = { object: false, reversible: false };
  for (var k in options || {}) opts[k] = options[k];
  var obj = {}, current = obj, ancestors = [];
  readXml(String(xml), {
    start: function (name, attrs) {
      var node = {};
      for (var a in attrs) node[a] = attrs[a];
      if (!(name in current)) current[name] = node;
      else if (!Array.isArray(current[name])) current[name] = [current[name], node];
      else current[name].push(node);
      ancestors.push(current);
      current = node;
    },
    text: function (s) {
      s = s.trim();
      if (s.length) current.$t = (current.$t || '') + s;
    },
    end: function (name) {
      var parent = ancestors.pop();
      if (!opts.reversible && Object.keys(current).length === 1 && '$t' in current) {
        if (Array.isArray(parent[name])) parent[name][parent[name].length - 1] = current.$t;
        else parent[name] = current.$t;
      }
      current = parent;
    },
  });
  return opts.object ? obj : JSON.stringify(obj);
};

exports.toXml = function () {
  throw new Error('xml2json (local stand-in): toXml is not provided; open311 does not use it');
};
