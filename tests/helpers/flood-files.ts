import { createDeflateRaw, crc32 } from 'node:zlib';

/**
 * The hostile uploads of issue 11, made without holding their unpacked size in memory: a CSV flood, a
 * header of millions of columns, an XLSX whose one cell unpacks to hundreds of megabytes and one that
 * claims millions of empty rows. Used by the import tests and `npm run bench:abuse`.
 */

const HEADER = 'indicator,region,date,value';

/** The header and `lines` lines of `x`. */
export const floodCsv = (lines: number) => Buffer.from(`${HEADER}\n${'x\n'.repeat(lines)}`);

/** A header of `columns` columns (the known four, then `c`s) and one data row. */
export const wideHeaderCsv = (columns: number) =>
	Buffer.from(`${HEADER}${',c'.repeat(columns - 4)}\nVV-T1-AANDACHT,obs-haarzicht,2025-02-03,40\n`);

type Part = { name: string; chunks: () => Iterable<string | Buffer> };

/** A zip (stored with deflate) of the parts; each part is compressed as it is generated. */
export async function zip(parts: Part[]): Promise<Buffer> {
	const out: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const part of parts) {
		const name = Buffer.from(part.name);
		let crc = 0;
		let size = 0;
		const deflate = createDeflateRaw({ level: 9 });
		const compressed: Buffer[] = [];
		deflate.on('data', (d: Buffer) => compressed.push(d));
		const ended = new Promise((resolve) => deflate.on('end', resolve));
		for (const chunk of part.chunks()) {
			const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			crc = crc32(b, crc);
			size += b.length;
			if (!deflate.write(b)) await new Promise((resolve) => deflate.once('drain', resolve));
		}
		deflate.end();
		await ended;
		const data = Buffer.concat(compressed);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(crc >>> 0, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		const dir = Buffer.alloc(46);
		dir.writeUInt32LE(0x02014b50, 0);
		dir.writeUInt16LE(20, 4);
		dir.writeUInt16LE(20, 6);
		dir.writeUInt16LE(8, 10);
		dir.writeUInt32LE(crc >>> 0, 16);
		dir.writeUInt32LE(data.length, 20);
		dir.writeUInt32LE(size, 24);
		dir.writeUInt16LE(name.length, 28);
		dir.writeUInt32LE(offset, 42);
		out.push(local, name, data);
		central.push(dir, name);
		offset += local.length + name.length + data.length;
	}
	const dirBytes = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(parts.length, 8);
	end.writeUInt16LE(parts.length, 10);
	end.writeUInt32LE(dirBytes.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...out, dirBytes, end]);
}

const once = (s: string) => () => [s];

/** A workbook of one sheet whose XML is generated in chunks; `strings` are its shared strings. */
function workbook(sheet: () => Iterable<string | Buffer>, strings?: () => Iterable<string | Buffer>): Promise<Buffer> {
	const parts: Part[] = [
		{
			name: '[Content_Types].xml',
			chunks: once(
				'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
			)
		},
		{
			name: '_rels/.rels',
			chunks: once(
				'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
			)
		},
		{
			name: 'xl/_rels/workbook.xml.rels',
			chunks: once(
				'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
			)
		},
		{
			name: 'xl/workbook.xml',
			chunks: once(
				'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Metingen" sheetId="1" r:id="rId1"/></sheets></workbook>'
			)
		}
	];
	if (strings) parts.push({ name: 'xl/sharedStrings.xml', chunks: strings });
	parts.push({ name: 'xl/worksheets/sheet1.xml', chunks: sheet });
	return zip(parts);
}

const SHEET_START =
	'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_END = '</sheetData></worksheet>';
const headerRow =
	'<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c><c r="B1" t="inlineStr"><is><t>region</t></is></c><c r="C1" t="inlineStr"><is><t>date</t></is></c><c r="D1" t="inlineStr"><is><t>value</t></is></c></row>';

/** An XLSX whose second row's first cell is a shared string of `chars` characters (~0.4 MB packed for 400 M). */
export const xlsxWithHugeCell = (chars: number) =>
	workbook(once(`${SHEET_START}${headerRow}<row r="2"><c r="A2" t="s"><v>0</v></c></row>${SHEET_END}`), function* () {
		yield '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>';
		const block = Buffer.alloc(1024 * 1024, 'a');
		for (let left = chars; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
		yield '</t></si></sst>';
	});

/** An XLSX with a header and then `rows` empty rows. */
export const xlsxWithEmptyRows = (rows: number) =>
	workbook(function* () {
		yield `${SHEET_START}${headerRow}`;
		const block = '<row/>'.repeat(100_000);
		for (let left = rows; left > 0; left -= 100_000) yield left >= 100_000 ? block : '<row/>'.repeat(left);
		yield SHEET_END;
	});

/** `rows` valid, distinct measurements as a plain CSV, over the given indicators and regions, dated back from `today`. */
export function validCsv(
	rows: number,
	indicators: {
		code: string;
		unit: string;
		derived: boolean;
		rules?: { min?: number | null; max?: number | null } | null;
	}[],
	regions: { slug: string }[],
	today: string
): Buffer {
	// a value inside the plan's range (scores 1–10), so the file is valid whatever the plan's rules
	const within = (v: number, rules: (typeof indicators)[number]['rules']) => {
		const min = rules?.min ?? null;
		const max = rules?.max ?? null;
		return min !== null && max !== null ? min + (v % (Math.floor(max - min) + 1)) : v;
	};
	const lines = [HEADER];
	const numeric = indicators.filter((i) => !i.derived && i.unit !== 'text');
	const start = new Date(`${today}T00:00:00Z`).getTime();
	for (let day = 1; lines.length <= rows; day++) {
		const date = new Date(start - day * 86_400_000).toISOString().slice(0, 10);
		for (const ind of numeric)
			for (const r of regions) {
				if (lines.length > rows) break;
				const v = lines.length % 100;
				lines.push(`${ind.code},${r.slug},${date},${ind.unit === 'count' ? v * 3 : within(v, ind.rules)}`);
			}
	}
	return Buffer.from(`${lines.join('\n')}\n`);
}
