// 无障碍 (WCAG 2.1 4.1.2, axe aria-allowed-attr): antd's Form.Item gives the control of a required field
// aria-required="true"; rc-select (Select, Cascader, TreeSelect) passes its props both to the combobox <input>, where
// the attribute belongs and is read out, and to its role-less wrapper <div>, where ARIA does not allow it and it means
// nothing to a screen reader. Props cannot tell the two apart, so the attribute is removed from the elements that may
// not carry it — any element that is not a form control and has no role — as they appear. The inputs keep theirs.

const MAY_CARRY = 'input, select, textarea, [role]';

function fix(el: Element) {
  if (el.hasAttribute('aria-required') && !el.matches(MAY_CARRY)) el.removeAttribute('aria-required');
}

/** Watches the document from now on (modals and drawers render into their own containers under <body>). */
export function dropMisplacedAriaRequired(doc: Document = document) {
  doc.querySelectorAll('[aria-required]').forEach(fix);
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === 'attributes') fix(c.target as Element);
      else
        c.addedNodes.forEach((n) => {
          if (n.nodeType !== 1) return;
          fix(n as Element);
          (n as Element).querySelectorAll('[aria-required]').forEach(fix);
        });
    }
  }).observe(doc.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-required'],
  });
}
