package ui

import (
	"fmt"
	"strings"
)

// messages holds every string the UI shows, in one language. All of them
// live in the table in messagesFor; nothing else in the package spells out
// user-facing text.
type messages struct {
	sections [sectionCount]string

	noPosts, noBooks, noPapers, noTags, noMatches string
	noPages                                       string
	postsTagged                                   string // "%s" = tag
	filterPrompt, searchPrompt                    string
	rendering, renderFailed                       string // renderFailed: "%v" = error
	modified                                      string // "%s" = date
	readingTime                                   string // "%d" = minutes
	enlarge                                       string // %d×%d minimum, %d×%d current
	newPost, newPosts, updated                    string // newPosts: "%d"
	changed, removed                              string
	pageChanged, pageRemoved                      string // the same, of a page
	noMatch, matchOf                              string // matchOf: "%d/%d"
	notFound                                      string
	translatedBy                                  string
	yes                                           string

	// Field labels of the book and paper details.
	subtitle, original, authors, translators, publisher, year, published string
	status, rating, recommended, tags, note, link, post                  string
	venue, topic                                                         string
	statuses                                                             map[string]string
	timesRead                                                            string // "%d"

	// Help texts.
	helpUp, helpDown, helpPageUp, helpPageDown, helpTop, helpBottom string
	helpOpen, helpOpenPost, helpBack, helpQuit, helpForceQuit       string
	helpFilter, helpSearch, helpApply, helpCancel, helpClearFilter  string
	helpNextMatch, helpPrevMatch, helpNextPost, helpPrevPost        string
	helpReload, helpNextSection, helpPrevSection, helpJump          string
	helpMore, helpLess, helpScroll                                  string
	helpOutline, helpSearchAll, helpJumpTo                          string

	// The outline, direct links and search everywhere.
	outline, noHeadings string // outline: "%s" = the post's title
	footnote            string // "%d" = number
	noSuchPost          string // "%s" = slug
	noSuchPostClosest   string // "%s" = slug, "%s" = closest slug
	searchAllPrompt     string
	searchAllEmpty      string // before anything is typed
	searchAllNone       string // "%s" = query
	searchAllCount      string // "%d" = hits
	searchAllOne        string
	searching           string
	searchFailed        string // "%v" = error
}

// The string tables and the key maps built from them, once: every session
// points to one of them and none modifies them (help changes copies of
// bindings). A copy per session cost 5.4 KB: BenchmarkSessionMemory list
// 7.9 -> 2.5 KB, reader 13.4 -> 7.9 KB, every section 17.2 -> 11.7 KB.
var (
	zhMessages, enMessages = chineseMessages(), englishMessages()
	zhKeys, enKeys         = newKeyMap(zhMessages), newKeyMap(enMessages)
)

// messagesFor returns the strings for a BCP 47 language tag, and the key
// bindings with help in them: Chinese for "zh" and its variants, English
// otherwise. Both are shared: never modify them.
func messagesFor(language string) (*messages, *KeyMap) {
	lang := strings.ToLower(strings.TrimSpace(language))
	if lang == "zh" || strings.HasPrefix(lang, "zh-") || strings.HasPrefix(lang, "zh_") {
		return zhMessages, zhKeys
	}
	return enMessages, enKeys
}

// chineseMessages returns the Chinese strings.
func chineseMessages() *messages {
	return &messages{
		sections:     [sectionCount]string{"文章", "书单", "论文", "标签", "页面"},
		noPosts:      "还没有文章。",
		noBooks:      "还没有书。",
		noPapers:     "还没有论文。",
		noTags:       "还没有标签。",
		noPages:      "还没有页面。",
		noMatches:    "没有匹配的条目。",
		postsTagged:  "标签「%s」下的文章",
		filterPrompt: "筛选：",
		searchPrompt: "搜索：",
		rendering:    "渲染中…",
		renderFailed: "无法渲染这篇文章：%v",
		modified:     "更新于 %s",
		readingTime:  "约 %d 分钟",
		enlarge:      "终端窗口太小了。\n请放大到至少 %d×%d（当前 %d×%d）。",
		newPost:      "1 篇新文章",
		newPosts:     "%d 篇新文章",
		updated:      "博客已更新",
		changed:      "这篇文章已更新 — 按 r 重新载入",
		removed:      "这篇文章已被删除",
		pageChanged:  "这个页面已更新 — 按 r 重新载入",
		pageRemoved:  "这个页面已被删除",
		noMatch:      "无匹配",
		matchOf:      "%d/%d",
		notFound:     "（未找到）",
		translatedBy: "译",
		yes:          "是",

		subtitle: "副标题", original: "原书名", authors: "作者", translators: "译者",
		publisher: "出版社", year: "阅读年份", published: "发表年份",
		status: "状态", rating: "评分", recommended: "推荐",
		tags: "标签", note: "笔记", link: "链接", post: "文章",
		venue: "会议/期刊", topic: "主题",
		statuses: map[string]string{
			"read": "已读", "reading": "在读", "reread": "重读",
			"want": "想读", "abandoned": "弃读",
		},
		timesRead: "读过 %d 次",

		helpUp: "上", helpDown: "下", helpPageUp: "上一页", helpPageDown: "下一页",
		helpTop: "顶部", helpBottom: "底部",
		helpOpen: "打开", helpOpenPost: "打开文章", helpBack: "返回", helpQuit: "退出",
		helpForceQuit: "强制退出",
		helpFilter:    "筛选", helpSearch: "搜索", helpApply: "确定", helpCancel: "取消",
		helpClearFilter: "清除筛选",
		helpNextMatch:   "下一处", helpPrevMatch: "上一处",
		helpNextPost: "下一篇", helpPrevPost: "上一篇",
		helpReload: "重新载入", helpNextSection: "下一栏", helpPrevSection: "上一栏",
		helpJump: "切换栏目", helpMore: "更多", helpLess: "收起", helpScroll: "滚动",
		helpOutline: "目录", helpSearchAll: "全站搜索", helpJumpTo: "跳转",

		outline:           "目录 · %s",
		noHeadings:        "这篇文章没有标题。",
		footnote:          "脚注 %d",
		noSuchPost:        "没有文章「%s」",
		noSuchPostClosest: "没有文章「%s」，你要找的是「%s」吗？",
		searchAllPrompt:   "全站搜索：",
		searchAllEmpty:    "输入要搜索的内容。",
		searchAllNone:     "没有找到「%s」。",
		searchAllCount:    "%d 条结果",
		searchAllOne:      "1 条结果",
		searching:         "搜索中…",
		searchFailed:      "搜索失败：%v",
	}
}

// englishMessages returns the English strings.
func englishMessages() *messages {
	return &messages{
		sections:     [sectionCount]string{"Posts", "Books", "Papers", "Tags", "Pages"},
		noPosts:      "No posts yet.",
		noBooks:      "No books yet.",
		noPapers:     "No papers yet.",
		noTags:       "No tags yet.",
		noPages:      "No pages yet.",
		noMatches:    "Nothing matches.",
		postsTagged:  "Posts tagged “%s”",
		filterPrompt: "Filter: ",
		searchPrompt: "Search: ",
		rendering:    "rendering…",
		renderFailed: "could not render this post: %v",
		modified:     "updated %s",
		readingTime:  "%d min read",
		enlarge:      "This terminal is too small.\nPlease enlarge it to at least %d×%d (now %d×%d).",
		newPost:      "1 new post",
		newPosts:     "%d new posts",
		updated:      "blog updated",
		changed:      "this post changed — r reloads",
		removed:      "this post was removed",
		pageChanged:  "this page changed — r reloads",
		pageRemoved:  "this page was removed",
		noMatch:      "no match",
		matchOf:      "%d/%d",
		notFound:     "(not found)",
		translatedBy: "tr.",
		yes:          "yes",

		subtitle: "Subtitle", original: "Original title", authors: "Authors", translators: "Translators",
		publisher: "Publisher", year: "Read in", published: "Published",
		status: "Status", rating: "Rating", recommended: "Recommended",
		tags: "Tags", note: "Note", link: "Link", post: "Post",
		venue: "Venue", topic: "Topic",
		statuses: map[string]string{
			"read": "read", "reading": "reading", "reread": "re-read",
			"want": "to read", "abandoned": "abandoned",
		},
		timesRead: "read %d times",

		helpUp: "up", helpDown: "down", helpPageUp: "page up", helpPageDown: "page down",
		helpTop: "top", helpBottom: "bottom",
		helpOpen: "open", helpOpenPost: "open post", helpBack: "back", helpQuit: "quit",
		helpForceQuit: "force quit",
		helpFilter:    "filter", helpSearch: "search", helpApply: "apply", helpCancel: "cancel",
		helpClearFilter: "clear filter",
		helpNextMatch:   "next match", helpPrevMatch: "prev match",
		helpNextPost: "next post", helpPrevPost: "prev post",
		helpReload: "reload", helpNextSection: "next section", helpPrevSection: "prev section",
		helpJump: "sections", helpMore: "more", helpLess: "less", helpScroll: "scroll",
		helpOutline: "outline", helpSearchAll: "search all", helpJumpTo: "jump",

		outline:           "Outline · %s",
		noHeadings:        "This post has no headings.",
		footnote:          "note %d",
		noSuchPost:        "no post “%s”",
		noSuchPostClosest: "no post “%s”; did you mean “%s”?",
		searchAllPrompt:   "Search all: ",
		searchAllEmpty:    "Type what to look for.",
		searchAllNone:     "Nothing found for “%s”.",
		searchAllCount:    "%d hits",
		searchAllOne:      "1 hit",
		searching:         "searching…",
		searchFailed:      "search failed: %v",
	}
}

// newPostsNotice says how many posts a publish added.
func (m *messages) newPostsNotice(n int) string {
	if n == 1 {
		return m.newPost
	}
	return fmt.Sprintf(m.newPosts, n)
}

// statusName translates a reading status; unknown values show as written.
func (m *messages) statusName(s string) string {
	if t, ok := m.statuses[strings.ToLower(s)]; ok {
		return t
	}
	return s
}
