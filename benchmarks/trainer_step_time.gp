# Step time against model size, one panel per rank count, one line per paradigm, from the
# CSV that trainer_perf -c writes (ranks,mode,params,step,exposed,comm,hidden,sent0,recv0,
# sentmax,recvmax). Usage: gnuplot -e "csv='in.csv'; out='out.png'" trainer_step_time.gp
set terminal png size 1500,500 font ",11"
set output out
set datafile separator ","
set multiplot layout 1,3 title "hoop::Trainer step time (synthetic backward, median over steps)"
set logscale x 2
set xlabel "model size (million float32 parameters)"
set ylabel "step time (ms)"
set key top left
set grid
modes = "none allreduce allreduce-nobuckets ps"
titles = "no-sync all-reduce(buckets) all-reduce(one-bucket) parameter-server"
do for [r in "1 2 4"] {
  set title sprintf("%s rank%s", r, r eq "1" ? "" : "s")
  plot for [i=1:4] sprintf("< awk -F, '$1==%s && $2==\"%s\"' %s", r, word(modes, i), csv) \
       using ($3/1048576):($4*1000) with linespoints lw 2 title word(titles, i)
}
unset multiplot
