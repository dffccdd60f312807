import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders headings, lists, emphasis, code and safe links', () => {
    expect(renderMarkdown('# Trips\nSome **bold** and *it* and `x`\n\n- a\n- b\n1. one\n```\nSELECT 1 < 2\n```\n[doc](https://example.com/a)')).toBe(
      [
        '<h1>Trips</h1>',
        '<p>Some <strong>bold</strong> and <em>it</em> and <code>x</code></p>',
        '<ul><li>a</li><li>b</li></ul>',
        '<ol><li>one</li></ol>',
        '<pre><code>SELECT 1 &lt; 2</code></pre>',
        '<p><a href="https://example.com/a" target="_blank" rel="noopener noreferrer">doc</a></p>',
      ].join('\n'),
    );
  });

  it('never lets markup or script URLs through', () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)> [x](javascript:alert(1))')).toBe('<p>&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))</p>');
  });
});
