package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/sshblog/sshblog/content"
)

// Vocabulary of the generated blog: Chinese words (two to four characters,
// as a technical Chinese blog uses them) and English ones, some in several
// forms, so that both segmentation and stemming are exercised.
var (
	genZh = strings.Fields(`部署 论文 流处理 容器 集群 调度 分布式 系统 数据库 索引 查询 优化 内核 网络 存储 机器学习
模型 训练 推理 开源 社区 项目 代码 测试 性能 延迟 吞吐 内存 缓存 事务 一致性 副本 日志 监控 告警 服务 接口
设计 架构 算法 编译器 虚拟机 操作系统 文件 进程 线程 协程 并发 锁 队列 消息 搜索 排序 哈希 加密 安全 认证
博客 文章 读书 笔记 总结 年终 工作 生活 旅行 电影 音乐 朋友 家庭 城市 北京 上海 杭州 深圳 学习 思考 经验
问题 方案 实践 工具 命令 配置 版本 发布 升级 迁移 备份 恢复 故障 排查 调试 重构 评审 文档 翻译 书籍 作者`)
	genEn = strings.Fields(`kubernetes docker flink kafka spark raft paxos render rendering rendered renders scheduler
scheduling schedule deploy deployment deploying index indexes indexing query queries latency throughput memory
cache caching transaction consistency replica replication log logging monitor monitoring service design
architecture algorithm compiler runtime kernel network storage model training inference open source community
project code test testing performance the a of and to in is for with on that this it as be are by from at`)
	genCode = []string{
		"func main() {\n\tfmt.Println(\"hello deployment\")\n}\n",
		"kubectl apply -f deployment.yaml\nkubectl get pods -n kube-system\n",
		"SELECT title FROM posts WHERE rendering = 1;\n",
		"def train(model, data):\n    return model.fit(data)\n",
	}
)

// genBlog returns a generated blog of n posts mixing Chinese and English
// (about two thirds Chinese), each a few kilobytes with a code block, inline
// code and links, plus 200 books and 200 papers; and its text size (titles,
// descriptions, tags and bodies in bytes). Posts are built in memory, so
// Markdown returns their Body.
func genBlog(n int) (*content.Snapshot, int) {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	posts := make([]*content.Post, n)
	size := 0
	for i := range posts {
		p := genPost(r, i)
		posts[i] = p
		size += len(p.Title) + len(p.Description) + len(p.Body)
		for _, t := range p.Tags {
			size += len(t)
		}
	}
	var books []content.Book
	var papers []content.Paper
	for i := range 200 {
		books = append(books, content.Book{Title: genPhrase(r, 3) + fmt.Sprint(" ", i), Authors: []string{"作者" + fmt.Sprint(i)}, Note: genSentence(r)})
		papers = append(papers, content.Paper{Title: genPhrase(r, 4) + fmt.Sprint(" ", i), Venue: "OSDI'20", Topic: genSentence(r)})
	}
	return content.NewSnapshot(content.Site{Title: "Generated"}, posts, books, papers, nil, "gen"), size
}

// genPost returns the generated blog's post i, drawn from r.
func genPost(r *rand.Rand, i int) *content.Post {
	var b strings.Builder
	for para := range 6 + r.IntN(6) {
		for range 3 + r.IntN(4) {
			b.WriteString(genSentence(r))
		}
		b.WriteString("\n\n")
		switch para {
		case 2:
			fmt.Fprintf(&b, "```\n%s```\n\n", genCode[r.IntN(len(genCode))])
		case 3:
			fmt.Fprintf(&b, "See `%s` and [the docs](https://example.org/docs/%s) for more.\n\n", genEn[r.IntN(len(genEn))], genEn[r.IntN(len(genEn))])
		}
	}
	body := b.String()
	tags := []string{genZh[r.IntN(len(genZh))], genEn[r.IntN(20)]}
	return &content.Post{
		Slug:        fmt.Sprintf("post-%d", i),
		Path:        fmt.Sprintf("posts/post-%d.md", i),
		Title:       genPhrase(r, 2+r.IntN(3)),
		Description: genSentence(r),
		Tags:        tags,
		Date:        time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Hour),
		Body:        body,
		Hash:        fmt.Sprintf("%x-%d", i, len(body)),
	}
}

// genPhrase returns n words, Chinese or English.
func genPhrase(r *rand.Rand, n int) string {
	var ws []string
	for range n {
		if r.IntN(3) < 2 {
			ws = append(ws, genZh[r.IntN(len(genZh))])
		} else {
			ws = append(ws, genEn[r.IntN(len(genEn))])
		}
	}
	return strings.Join(ws, " ")
}

// genSentence returns one sentence: Chinese words run together (a Chinese
// sentence has no spaces), or English words with spaces.
func genSentence(r *rand.Rand) string {
	n := 6 + r.IntN(10)
	if r.IntN(3) < 2 {
		var b strings.Builder
		for range n {
			if r.IntN(8) == 0 {
				b.WriteString(" " + genEn[r.IntN(len(genEn))] + " ")
				continue
			}
			b.WriteString(genZh[r.IntN(len(genZh))])
		}
		b.WriteString("。")
		return b.String()
	}
	ws := make([]string, n)
	for k := range ws {
		ws[k] = genEn[r.IntN(len(genEn))]
	}
	return strings.Join(ws, " ") + ". "
}
