// Package jzd reads the 界址点坐标 TXT of land approvals (勘测定界界址点
// 坐标交换格式, plot boundary points) into a *geo.Source in the
// file's Gauss–Krüger CRS.
//
// It knows no other format, opens no files (io.Reader only) and does no CRS
// conversion: data.BuildLayer does that.
package jzd
