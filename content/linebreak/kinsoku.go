package linebreak

import "unicode/utf8"

// Kinsoku (line-breaking prohibition) rules from JIS X 4051, W3C clreq and
// jlreq. They are switch statements rather than sets so that the package has
// no mutable state; the compiler turns them into binary searches.

// isNoStart reports whether r must not begin a line: closing brackets and
// quotes, sentence and clause punctuation (CJK and ASCII), middle dots,
// ellipses, wave dashes, iteration marks, the prolonged sound mark and small
// kana.
func isNoStart(r rune) bool {
	switch r {
	// Closing brackets and quotation marks.
	case '）', '」', '』', '》', '】', '〉', '〕', '］', '｝', '〙', '〗', '〛', '｠', '｣',
		')', ']', '}', '”', '’', '»', '›',
		// Full stops, commas, colons, semicolons, question and exclamation marks.
		'。', '，', '、', '；', '：', '？', '！', '．', '｡', '､',
		',', '.', ';', ':', '!', '?', '‼', '⁇', '⁈', '⁉',
		// Middle dots, ellipses, hyphens and dashes that stay with what precedes.
		'・', '･', '·', '‥', '…', '‐', '゠', '〜', '～',
		// Iteration marks and the prolonged sound mark.
		'々', '〻', 'ゝ', 'ゞ', 'ヽ', 'ヾ', 'ー', 'ｰ',
		// Small kana.
		'ぁ', 'ぃ', 'ぅ', 'ぇ', 'ぉ', 'っ', 'ゃ', 'ゅ', 'ょ', 'ゎ', 'ゕ', 'ゖ',
		'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ッ', 'ャ', 'ュ', 'ョ', 'ヮ', 'ヵ', 'ヶ',
		'ㇰ', 'ㇱ', 'ㇲ', 'ㇳ', 'ㇴ', 'ㇵ', 'ㇶ', 'ㇷ', 'ㇸ', 'ㇹ', 'ㇺ', 'ㇻ', 'ㇼ', 'ㇽ', 'ㇾ', 'ㇿ',
		'ｧ', 'ｨ', 'ｩ', 'ｪ', 'ｫ', 'ｯ', 'ｬ', 'ｭ', 'ｮ',
		// Signs that follow a number.
		'％', '‰', '℃':
		return true
	}
	return false
}

// isNoEnd reports whether r must not end a line: opening brackets and
// quotation marks.
func isNoEnd(r rune) bool {
	switch r {
	case '（', '「', '『', '《', '【', '〈', '〔', '［', '｛', '〘', '〖', '〚', '｟', '｢',
		'(', '[', '{', '“', '‘', '«', '‹':
		return true
	}
	return false
}

// NoStart reports whether the grapheme cluster g must not begin a line.
func NoStart(g string) bool {
	r, _ := utf8.DecodeRuneInString(g)
	return isNoStart(r)
}

// NoEnd reports whether the grapheme cluster g must not end a line.
// Only tests call it (deadcode lists it): they check kinsoku on the lines
// Break and the renderer produce, here and in content/render, and need
// this half of the rule as well as NoStart.
func NoEnd(g string) bool {
	r, _ := utf8.DecodeRuneInString(g)
	return isNoEnd(r)
}
