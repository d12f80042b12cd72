package main
import (
 _ "charm.land/wish/v2"
 _ "charm.land/wish/v2/bubbletea"
 _ "charm.land/bubbletea/v2"
 _ "charm.land/glamour/v2"
 _ "charm.land/lipgloss/v2"
 _ "charm.land/bubbles/v2/key"
 _ "charm.land/ssh"
 _ "github.com/pkg/sftp"
 _ "gopkg.in/yaml.v3"
 _ "github.com/rivo/uniseg"
 _ "github.com/BurntSushi/toml"
)
func main(){}
