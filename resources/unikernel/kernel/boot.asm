; boot.asm: multiboot1 entry, the switch to 64-bit long mode, and the three
; assembly doors into the kernel (exceptions, the syscall instruction, and the
; jump into musl's _start).
;
; QEMU's -kernel loads a multiboot1 image; a 64-bit ELF is refused there, so the
; header uses the "address kludge" (flag bit 16): QEMU copies the flat image
; (objcopy -O binary of our ELF) to load_addr and zeroes up to bss_end_addr.

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ (1 << 1) | (1 << 16)   ; memory info, address fields valid
PAGE_PRESENT_RW equ 0x003
PAGE_HUGE       equ 0x080                   ; 2 MiB page in a page directory entry
KSTACK_SIZE     equ 65536                   ; kernel stack (boot, then system calls)
TRAP_STACK_SIZE equ 16384                   ; IST stack for exceptions

extern los_main, los_trap, los_syscall
extern __image_end

section .multiboot
align 4
mb_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)
    dd mb_header            ; header_addr
    dd mb_header            ; load_addr (the header is the image's first byte)
    dd 0                    ; load_end_addr: 0 = the whole file
    dd __image_end          ; bss_end_addr
    dd los_entry32          ; entry_addr

section .text.boot
bits 32
global los_entry32
los_entry32:
    cli
    mov esp, kstack_top
    mov edi, eax            ; multiboot magic
    mov esi, ebx            ; multiboot info (physical = virtual below 4 GiB)

    ; Page tables: identity map of the first 4 GiB. 2 MiB pages everywhere except
    ; the first 2 MiB, mapped with 4 KiB pages so page 0 can stay unmapped: a null
    ; pointer then faults (#PF) instead of reading the interrupt vector table.
    mov eax, pdpt
    or eax, PAGE_PRESENT_RW
    mov [pml4], eax
    xor ecx, ecx
.pdpt_loop:                 ; pdpt[k] -> pd + k*4096, k = 0..3
    mov eax, ecx
    shl eax, 12
    add eax, pd
    or eax, PAGE_PRESENT_RW
    mov [pdpt + ecx*8], eax
    inc ecx
    cmp ecx, 4
    jne .pdpt_loop
    xor ecx, ecx
.pd_loop:                   ; pd[i] -> i * 2 MiB, i = 0..2047 (four directories back to back)
    mov eax, ecx
    shl eax, 21
    or eax, PAGE_PRESENT_RW | PAGE_HUGE
    mov [pd + ecx*8], eax
    mov eax, ecx
    shr eax, 11             ; bits 32.. of the physical address
    mov [pd + ecx*8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .pd_loop
    mov ecx, 1              ; pt[0] stays 0: page 0 not present
.pt_loop:
    mov eax, ecx
    shl eax, 12
    or eax, PAGE_PRESENT_RW
    mov [pt + ecx*8], eax
    inc ecx
    cmp ecx, 512
    jne .pt_loop
    mov eax, pt
    or eax, PAGE_PRESENT_RW
    mov [pd], eax           ; first 2 MiB through the 4 KiB table
    mov dword [pd + 4], 0

    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)   ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov eax, pml4
    mov cr3, eax
    mov ecx, 0xC0000080     ; EFER
    rdmsr
    or eax, (1 << 8) | (1 << 0)                ; LME, SCE (syscall instruction)
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)      ; no x87 emulation
    or eax, (1 << 31) | (1 << 1) | (1 << 0)    ; PG, MP, PE
    mov cr0, eax
    lgdt [gdt_desc]
    jmp 0x08:long_mode

bits 64
long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, kstack_top
    fninit
    ; edi = magic, esi = info pointer (upper halves are zero after the 32-bit movs)
    call los_main
.halt:
    cli
    hlt
    jmp .halt

; ---------------------------------------------------------------- exceptions
; Every stub leaves the same frame: vector, error code (0 where the CPU pushes
; none), then the CPU's rip, cs, rflags, rsp, ss. All run on the IST stack.
%macro TRAP_NOERR 1
global los_trap%1
los_trap%1:
    push 0
    push %1
    jmp trap_common
%endmacro
%macro TRAP_ERR 1
global los_trap%1
los_trap%1:
    push %1
    jmp trap_common
%endmacro

TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR   8
TRAP_NOERR 9
TRAP_ERR   10
TRAP_ERR   11
TRAP_ERR   12
TRAP_ERR   13
TRAP_ERR   14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR   17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR   21
TRAP_NOERR 22
TRAP_NOERR 23
TRAP_NOERR 24
TRAP_NOERR 25
TRAP_NOERR 26
TRAP_NOERR 27
TRAP_NOERR 28
TRAP_NOERR 29
TRAP_NOERR 30
TRAP_NOERR 31

trap_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp            ; struct los_trap_frame *
    and rsp, -16
    call los_trap           ; prints the dump and exits; never returns
.dead:
    cli
    hlt
    jmp .dead

section .data
global los_trap_table
align 8
los_trap_table:
    dq los_trap0
    dq los_trap1
    dq los_trap2
    dq los_trap3
    dq los_trap4
    dq los_trap5
    dq los_trap6
    dq los_trap7
    dq los_trap8
    dq los_trap9
    dq los_trap10
    dq los_trap11
    dq los_trap12
    dq los_trap13
    dq los_trap14
    dq los_trap15
    dq los_trap16
    dq los_trap17
    dq los_trap18
    dq los_trap19
    dq los_trap20
    dq los_trap21
    dq los_trap22
    dq los_trap23
    dq los_trap24
    dq los_trap25
    dq los_trap26
    dq los_trap27
    dq los_trap28
    dq los_trap29
    dq los_trap30
    dq los_trap31

; ---------------------------------------------------------------- system calls
; The application runs in ring 0 like the kernel, so `syscall` goes from ring 0
; to ring 0: the CPU saves rip in rcx and rflags in r11, masks rflags (SFMASK)
; and jumps here without touching the stack. We switch to the kernel stack at
; once (musl's leaf functions may keep data in the 128-byte red zone below the
; user rsp), keep every register the Linux ABI preserves (all but rax, rcx,
; r11), and return with popfq + jmp instead of sysret (which always lands in
; ring 3).
section .text
global los_syscall_entry
los_syscall_entry:
    mov [rel user_rsp], rsp
    lea rsp, [rel kstack_top]
    push rcx                ; return address
    push r11                ; caller's rflags
    push rdi
    push rsi
    push rdx
    push r10
    push r8
    push r9
    push rax                ; system call number
    push 0                  ; keeps rsp 16-byte aligned for the call
    mov rdi, rsp            ; struct los_syscall_frame *
    call los_syscall        ; result in rax
    add rsp, 16             ; pad and number
    pop r9
    pop r8
    pop r10
    pop rdx
    pop rsi
    pop rdi
    popfq                   ; caller's rflags (from r11's slot), still on our stack
    pop rcx
    mov rsp, [rel user_rsp]
    jmp rcx

; Enters the application: rdi = initial stack (argc, argv, envp, auxv), rsi = entry.
global los_enter_app
los_enter_app:
    mov rsp, rdi
    xor ebp, ebp
    xor eax, eax
    xor edx, edx            ; no exit handler from a dynamic loader
    jmp rsi

section .data
align 16
gdt:
    dq 0
    dq 0x00AF9A000000FFFF   ; 0x08: 64-bit code, ring 0
    dq 0x00CF92000000FFFF   ; 0x10: data, ring 0
gdt_end:
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt

section .bss
align 4096
pml4:   resb 4096
pdpt:   resb 4096
pd:     resb 4 * 4096
pt:     resb 4096
global los_trap_stack_top
align 16
        resb TRAP_STACK_SIZE
los_trap_stack_top:
align 16
        resb KSTACK_SIZE
kstack_top:
user_rsp: resq 1
