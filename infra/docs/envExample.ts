// Generates .env.example from the one environment schema (packages/config/src/schema.ts): every variable, its
// default and its doc comment, so the example cannot drift from what the processes read. `npm run docs:env`
// rewrites it; `npm run docs:env -- --check` (part of `npm test`) fails when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SCHEMA = join(ROOT, 'packages', 'config', 'src', 'schema.ts');
const TARGET = join(ROOT, '.env.example');

interface Variable {
  name: string;
  doc: string | undefined;
  /** The default's source text when it is a literal, else undefined (computed or none). */
  defaultValue: string | undefined;
  optional: boolean;
}

function variables(): Variable[] {
  const source = ts.createSourceFile(SCHEMA, readFileSync(SCHEMA, 'utf8'), ts.ScriptTarget.Latest, true);
  let shape: ts.ObjectLiteralExpression | undefined;
  source.forEachChild(function find(node) {
    if (
      ts.isVariableDeclaration(node) &&
      node.name.getText() === 'envSchema' &&
      node.initializer &&
      ts.isCallExpression(node.initializer) &&
      ts.isObjectLiteralExpression(node.initializer.arguments[0] as ts.Node)
    )
      shape = node.initializer.arguments[0] as ts.ObjectLiteralExpression;
    else node.forEachChild(find);
  });
  if (!shape) throw new Error('envSchema = z.object({...}) not found in packages/config/src/schema.ts');
  return shape.properties.filter(ts.isPropertyAssignment).map((property) => {
    const text = property.initializer.getText();
    const docs = ts.getJSDocCommentsAndTags(property).filter(ts.isJSDoc);
    const doc = docs
      .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    const literal = /\.default\(\s*('[^']*'|"[^"]*"|[\d_.]+|true|false)\s*\)\s*$/.exec(
      text.replace(/\s+/g, ' '),
    );
    return {
      name: property.name.getText(),
      doc: doc || undefined,
      defaultValue: literal ? literalValue(literal[1] as string) : undefined,
      optional: /\.optional\(\)/.test(text),
    };
  });
}

/** A string literal's content, or a number without its digit separators (`20_000` is 20000). */
const literalValue = (source: string) =>
  /^['"]/.test(source) ? source.slice(1, -1) : source.replace(/_/g, '');

function render(vars: Variable[]): string {
  const lines = [
    '# Every environment variable crm-sync reads (generated from packages/config/src/schema.ts by `npm run docs:env`;',
    '# do not edit). Defaults work on a development machine; production refuses the development secrets and needs',
    '# TLS to PostgreSQL and Redis (README "Configuration"). Uncomment and set what you change.',
    '',
  ];
  for (const v of vars) {
    if (v.doc) lines.push(...wrap(v.doc).map((l) => `# ${l}`));
    const value = v.defaultValue ?? '';
    const note =
      v.defaultValue !== undefined ? '' : v.optional ? '  (unset by default)' : '  (default computed)';
    lines.push(`# ${v.name}=${value}${note}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function wrap(text: string, width = 116): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

const wanted = render(variables());
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(TARGET, 'utf8');
  } catch {
    // missing: differs
  }
  if (current !== wanted) {
    process.stderr.write('.env.example differs from packages/config/src/schema.ts: run `npm run docs:env`\n');
    process.exit(1);
  }
} else writeFileSync(TARGET, wanted);
